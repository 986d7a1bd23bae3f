/**
 * The waterfall's view state: the model, collapsed rows, filter, "critical path only", selection, and the derived
 * list of visible rows. Pure (no DOM): the DOM components read it and call its methods; unit-tested from node.
 *
 * Cost model (100k-row traces): building the visible list is O(rows shown + collapsed subtrees skipped), and
 * positions are found by binary search in it, so expanding or collapsing never walks the whole trace. What is O(n)
 * happens once per model, per filter result or per "collapse all".
 */
import type { FilterHighlight, WaterfallModel, WaterfallRow, WaterfallViewState } from '../../src/shared/protocol/waterfall';
import type { FilterResult } from './tree';
import { ancestors, computeVisibleRows, criticalWithAncestors, defaultCollapsed, filterFromMatches, indexOfSorted, isDescendant, revealRow, siblingPositions, visibleInSubset, withAncestors } from './tree';

export class WaterfallState {
  model: WaterfallModel | undefined;
  readonly collapsed = new Set<number>();
  /** Index into `model.rows`, or -1. */
  selected = -1;
  filterQuery = '';
  filter: FilterResult | null = null;
  /** With a filter: show only the matches and their ancestors (else every row, matches highlighted). */
  matchesOnly = true;
  /** What matching rows highlight in their name and service. */
  highlight: FilterHighlight | null = null;
  /** Highlight the critical path on the bars. */
  showCritical = true;
  /** Show only the critical path's rows (and their ancestors). */
  criticalOnly = false;
  /** Row indices in display order (always ascending: rows are in depth-first order). */
  visible: number[] = [];
  /** Bumped whenever something that changes how rows render changes (rows compare it to skip work). */
  version = 0;
  /** aria-posinset / aria-setsize of every row among its siblings. */
  siblings = siblingPositions([]);
  /** The rows a large trace opens with collapsed (empty for small traces). */
  private defaults = new Set<number>();
  private critical: { readonly set: Set<number>; readonly sorted: number[] } | undefined;
  /** Matches on the critical path with their ancestors (filter + critical only), for the current filter. */
  private filterCritical: { readonly set: Set<number>; readonly sorted: number[] } | undefined;

  get rows(): readonly WaterfallRow[] {
    return this.model?.rows ?? [];
  }

  /** Whether this trace opened collapsed by default (it is large). */
  get collapsedByDefault(): boolean {
    return this.defaults.size > 0;
  }

  /**
   * Shows a new model. `saved` (the state saved for a trace) is applied when it is for the same trace;
   * `selectRow` (from the host) wins over the saved selection. Without either, the first row is selected.
   * A large trace opens collapsed by default ({@link defaultCollapsed}).
   */
  setModel(model: WaterfallModel, saved?: WaterfallViewState, selectRow?: number): void {
    this.model = model;
    this.siblings = siblingPositions(model.rows);
    this.collapsed.clear();
    this.filterQuery = '';
    this.filter = null;
    this.highlight = null;
    this.critical = undefined;
    this.filterCritical = undefined;
    this.defaults = defaultCollapsed(model.rows);
    const same = saved !== undefined && saved.traceId === model.traceId;
    this.criticalOnly = same && saved.criticalOnly === true && model.criticalRows.length > 0;
    if (!same || saved.noDefault !== true) for (const i of this.defaults) this.collapsed.add(i);
    if (same) {
      const byId = new Map<string, number>();
      model.rows.forEach((r, i) => byId.set(r.id, i));
      for (const id of saved.collapsed) {
        const i = byId.get(id);
        if (i !== undefined && (model.rows[i]?.descendants ?? 0) > 0) this.collapsed.add(i);
      }
      for (const id of Array.isArray(saved.expanded) ? saved.expanded : []) {
        const i = typeof id === 'string' ? byId.get(id) : undefined;
        if (i !== undefined) this.collapsed.delete(i);
      }
    }
    const valid = (i: number | undefined): i is number => i !== undefined && Number.isInteger(i) && i >= 0 && i < model.rows.length;
    this.selected = valid(selectRow) ? selectRow : same && valid(saved.selectedRow) ? saved.selectedRow : model.rows.length > 0 ? 0 : -1;
    if (this.selected >= 0) {
      if (this.criticalOnly && !this.criticalRows().set.has(this.selected)) this.criticalOnly = false;
      revealRow(model.rows, this.collapsed, this.selected);
    }
    this.recompute();
  }

  /**
   * The state to save with `setState`. Collapsed rows are saved as the difference from the trace's default (or,
   * when that is shorter, as the full list with `noDefault`), so a 100k-span trace does not save 10k IDs.
   */
  viewState(scrollTop: number): WaterfallViewState | undefined {
    if (!this.model) return undefined;
    const rows = this.model.rows;
    const ids = (xs: number[]): string[] => xs.sort((a, b) => a - b).map((i) => rows[i]?.id ?? '');
    const extra: number[] = [];
    for (const i of this.collapsed) if (!this.defaults.has(i)) extra.push(i);
    const expanded: number[] = [];
    for (const i of this.defaults) if (!this.collapsed.has(i)) expanded.push(i);
    const delta = extra.length + expanded.length;
    const base = { traceId: this.model.traceId, selectedRow: this.selected };
    const rest = { scrollTop, ...(this.criticalOnly ? { criticalOnly: true } : {}) };
    if (this.defaults.size > 0 && this.collapsed.size < delta) return { ...base, collapsed: ids([...this.collapsed]), noDefault: true, ...rest };
    return { ...base, collapsed: ids(extra), ...(expanded.length > 0 ? { expanded: ids(expanded) } : {}), ...rest };
  }

  /** Position of `row` in {@link visible}, or -1 when it is not shown (a binary search: `visible` is ascending). */
  positionOf(row: number): number {
    return row >= 0 && row < this.rows.length ? indexOfSorted(this.visible, row) : -1;
  }

  hasChildren(row: number): boolean {
    return (this.rows[row]?.descendants ?? 0) > 0;
  }

  /** Whether collapsing is possible now: not while only the matches of a filter are shown (they all are). */
  get canCollapse(): boolean {
    return !(this.filter !== null && this.matchesOnly);
  }

  /** Whether `row` shows its children (always, while only a filter's matches are shown). */
  isExpanded(row: number): boolean {
    return this.hasChildren(row) && (!this.canCollapse || !this.collapsed.has(row));
  }

  isMatch(row: number): boolean {
    return this.filter?.matches.has(row) ?? false;
  }

  /** Rows on the critical path with their ancestors (computed once per model). */
  criticalRows(): { readonly set: Set<number>; readonly sorted: number[] } {
    this.critical ??= criticalWithAncestors(this.rows);
    return this.critical;
  }

  /** Whether `row` is in the rows the current modes show at all (before collapsing). */
  private inBase(row: number): boolean {
    if (this.filter && this.matchesOnly && !this.filter.shown.has(row)) return false;
    if (this.criticalOnly && !this.criticalRows().set.has(row)) return false;
    return true;
  }

  /**
   * Selects `row`, revealing it: expanding its ancestors, dropping a "matches only" filter it does not match, or
   * leaving "critical path only" when it is off the path.
   */
  select(row: number): boolean {
    if (row < 0 || row >= this.rows.length) return false;
    let changed = row !== this.selected;
    if (this.filter && this.matchesOnly && !this.filter.shown.has(row)) {
      this.filterQuery = '';
      this.filter = null;
      this.highlight = null;
      changed = true;
    }
    if (this.criticalOnly && !this.inBase(row)) {
      this.criticalOnly = false;
      changed = true;
    }
    if (this.canCollapse) changed = revealRow(this.rows, this.collapsed, row) || changed;
    this.selected = row;
    if (changed) this.recompute();
    if (this.criticalOnly && this.positionOf(row) < 0) {
      this.criticalOnly = false;
      this.recompute();
      changed = true;
    }
    return changed;
  }

  setCollapsed(row: number, collapse: boolean): boolean {
    if (!this.hasChildren(row) || !this.canCollapse || this.collapsed.has(row) === collapse) return false;
    if (collapse) {
      this.collapsed.add(row);
      if (isDescendant(this.rows, row, this.selected)) this.selected = row;
    } else {
      this.collapsed.delete(row);
    }
    this.recompute();
    return true;
  }

  toggle(row: number): boolean {
    return this.setCollapsed(row, !this.collapsed.has(row));
  }

  /** Expands `row` and everything below it (`*`, Shift+click on a twistie). O(its subtree). */
  expandAllBelow(row: number): boolean {
    const r = this.rows[row];
    if (!r || r.descendants === 0 || !this.canCollapse) return false;
    let changed = false;
    if (this.collapsed.size > r.descendants) {
      for (let i = row; i <= row + r.descendants; i++) changed = this.collapsed.delete(i) || changed;
    } else {
      for (const i of [...this.collapsed]) if (i >= row && i <= row + r.descendants) changed = this.collapsed.delete(i) || changed;
    }
    if (changed) this.recompute();
    return changed;
  }

  /** Collapses every row with children (only the top level stays), or expands everything. */
  setAllCollapsed(collapse: boolean): void {
    this.collapsed.clear();
    if (collapse) {
      this.rows.forEach((r, i) => {
        if (r.descendants > 0) this.collapsed.add(i);
      });
      const top = [this.selected, ...ancestors(this.rows, this.selected)].pop();
      if (top !== undefined && top >= 0) this.selected = top;
      if (!this.inBase(this.selected)) this.criticalOnly = false;
    }
    this.recompute();
  }

  /** Clears the filter; returns whether anything changed. */
  clearFilter(): boolean {
    if (this.filterQuery === '' && this.filter === null) return false;
    this.filterQuery = '';
    this.filter = null;
    this.highlight = null;
    this.filterCritical = undefined;
    if (this.selected >= 0 && this.canCollapse) revealRow(this.rows, this.collapsed, this.selected);
    this.recompute();
    return true;
  }

  /** Applies the host's matches for `query`; returns whether the visible rows changed. */
  applyFilter(query: string, matches: readonly number[], highlight?: FilterHighlight): boolean {
    if (query.trim() === '') return this.clearFilter();
    this.filterQuery = query;
    this.filter = filterFromMatches(this.rows, matches);
    this.highlight = highlight ?? null;
    this.filterCritical = undefined;
    this.recompute();
    return true;
  }

  /** Switches "matches only" (with a filter: only the matches and their ancestors, else all rows with matches marked). */
  setMatchesOnly(on: boolean): void {
    if (this.matchesOnly === on) return;
    this.matchesOnly = on;
    if (!on && this.selected >= 0) revealRow(this.rows, this.collapsed, this.selected);
    this.recompute();
  }

  /** Switches "critical path only"; returns false when the trace has no critical path. */
  setCriticalOnly(on: boolean): boolean {
    if (on && (this.model?.criticalRows.length ?? 0) === 0) return false;
    if (this.criticalOnly === on) return false;
    this.criticalOnly = on;
    this.recompute();
    return true;
  }

  /** The next (dir 1) / previous (dir -1) match after/before the selection in display order, wrapping; -1 when none. */
  nextMatch(dir: 1 | -1): number {
    const list = this.filter?.matchList ?? [];
    if (list.length === 0) return -1;
    const k = indexOfSorted(list, this.selected);
    if (k >= 0) return list[(k + dir + list.length) % list.length] ?? -1;
    // Not on a match: the first one after (or last one before) the selection.
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((list[mid] as number) < this.selected) lo = mid + 1;
      else hi = mid;
    }
    return dir === 1 ? (list[lo % list.length] ?? -1) : (list[(lo - 1 + list.length) % list.length] ?? -1);
  }

  /** 1-based position of the selection among the matches, or 0 when it is not a match. */
  matchOrdinal(): number {
    return this.filter ? indexOfSorted(this.filter.matchList, this.selected) + 1 : 0;
  }

  toggleCritical(): void {
    this.showCritical = !this.showCritical;
    this.version++;
  }

  private recompute(): void {
    const rows = this.rows;
    if (this.filter && this.matchesOnly) {
      if (this.criticalOnly) {
        if (!this.filterCritical) {
          const onPath = this.criticalRows().set;
          this.filterCritical = withAncestors(rows, this.filter.matchList.filter((i) => onPath.has(i)));
        }
        this.visible = this.filterCritical.sorted.slice();
      } else {
        this.visible = computeVisibleRows(rows, this.collapsed, this.filter);
      }
    } else if (this.criticalOnly) {
      this.visible = visibleInSubset(rows, this.criticalRows().sorted, this.collapsed);
    } else {
      this.visible = computeVisibleRows(rows, this.collapsed, null);
    }
    this.version++;
  }
}
