/**
 * The waterfall's view state: the model, collapsed rows, filter, selection, and the derived list of visible
 * rows. Pure (no DOM): the DOM components read it and call its methods; unit-tested from node.
 */
import type { WaterfallModel, WaterfallRow, WaterfallViewState } from '../../src/shared/protocol/waterfall';
import type { FilterResult } from './tree';
import { ancestors, computeVisibleRows, filterFromMatches, isDescendant, revealRow, siblingPositions } from './tree';

export class WaterfallState {
  model: WaterfallModel | undefined;
  readonly collapsed = new Set<number>();
  /** Index into `model.rows`, or -1. */
  selected = -1;
  filterQuery = '';
  filter: FilterResult | null = null;
  showCritical = true;
  /** Row indices in display order. */
  visible: number[] = [];
  /** Bumped whenever something that changes how rows render changes (rows compare it to skip work). */
  version = 0;
  /** aria-posinset / aria-setsize of every row among its siblings. */
  siblings = siblingPositions([]);
  private positions = new Int32Array(0);

  get rows(): readonly WaterfallRow[] {
    return this.model?.rows ?? [];
  }

  /**
   * Shows a new model. `saved` (the state saved for a trace) is applied when it is for the same trace;
   * `selectRow` (from the host) wins over the saved selection. Without either, the first row is selected.
   */
  setModel(model: WaterfallModel, saved?: WaterfallViewState, selectRow?: number): void {
    this.model = model;
    this.siblings = siblingPositions(model.rows);
    this.collapsed.clear();
    this.filterQuery = '';
    this.filter = null;
    const same = saved !== undefined && saved.traceId === model.traceId;
    if (same) {
      const byId = new Map<string, number>();
      model.rows.forEach((r, i) => byId.set(r.id, i));
      for (const id of saved.collapsed) {
        const i = byId.get(id);
        if (i !== undefined && (model.rows[i]?.descendants ?? 0) > 0) this.collapsed.add(i);
      }
    }
    const valid = (i: number | undefined): i is number => i !== undefined && Number.isInteger(i) && i >= 0 && i < model.rows.length;
    this.selected = valid(selectRow) ? selectRow : same && valid(saved.selectedRow) ? saved.selectedRow : model.rows.length > 0 ? 0 : -1;
    if (this.selected >= 0) revealRow(model.rows, this.collapsed, this.selected);
    this.recompute();
  }

  /** The state to save with `setState`. */
  viewState(scrollTop: number): WaterfallViewState | undefined {
    if (!this.model) return undefined;
    const rows = this.model.rows;
    const collapsed = [...this.collapsed].sort((a, b) => a - b).map((i) => rows[i]?.id ?? '');
    return { traceId: this.model.traceId, selectedRow: this.selected, collapsed, scrollTop };
  }

  /** Position of `row` in {@link visible}, or -1 when it is not shown. */
  positionOf(row: number): number {
    return row >= 0 && row < this.positions.length ? (this.positions[row] ?? -1) : -1;
  }

  hasChildren(row: number): boolean {
    return (this.rows[row]?.descendants ?? 0) > 0;
  }

  /** Whether `row` shows its children (always, while a filter is active). */
  isExpanded(row: number): boolean {
    return this.hasChildren(row) && (this.filter !== null || !this.collapsed.has(row));
  }

  isMatch(row: number): boolean {
    return this.filter?.matches.has(row) ?? false;
  }

  /** Selects `row`, revealing it (expanding its ancestors, or dropping a filter it does not match). */
  select(row: number): boolean {
    if (row < 0 || row >= this.rows.length) return false;
    let changed = row !== this.selected;
    if (this.filter && !this.filter.shown.has(row)) {
      this.filterQuery = '';
      this.filter = null;
      changed = true;
    }
    if (!this.filter) changed = revealRow(this.rows, this.collapsed, row) || changed;
    this.selected = row;
    if (changed) this.recompute();
    return changed;
  }

  setCollapsed(row: number, collapse: boolean): boolean {
    if (!this.hasChildren(row) || this.filter || this.collapsed.has(row) === collapse) return false;
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

  /** Collapses every row with children (only the top level stays), or expands everything. */
  setAllCollapsed(collapse: boolean): void {
    this.collapsed.clear();
    if (collapse) {
      this.rows.forEach((r, i) => {
        if (r.descendants > 0) this.collapsed.add(i);
      });
      const top = [this.selected, ...ancestors(this.rows, this.selected)].pop();
      if (top !== undefined && top >= 0) this.selected = top;
    }
    this.recompute();
  }

  /** Clears the filter; returns whether anything changed. */
  clearFilter(): boolean {
    if (this.filterQuery === '' && this.filter === null) return false;
    this.filterQuery = '';
    this.filter = null;
    if (this.selected >= 0) revealRow(this.rows, this.collapsed, this.selected);
    this.recompute();
    return true;
  }

  /** Applies the host's matches for `query`; returns whether the visible rows changed. */
  applyFilter(query: string, matches: readonly number[]): boolean {
    if (query.trim() === '') return this.clearFilter();
    this.filterQuery = query;
    this.filter = filterFromMatches(this.rows, matches);
    this.recompute();
    return true;
  }

  toggleCritical(): void {
    this.showCritical = !this.showCritical;
    this.version++;
  }

  private recompute(): void {
    this.visible = computeVisibleRows(this.rows, this.collapsed, this.filter);
    this.positions = new Int32Array(this.rows.length).fill(-1);
    this.visible.forEach((row, pos) => (this.positions[row] = pos));
    this.version++;
  }
}
