/**
 * The row tree: which rows are visible given collapsed rows and a filter, ancestors, search text.
 * Pure: no DOM, unit-tested from node. Rows are in depth-first display order, so the descendants of row `i`
 * are exactly rows `i + 1 .. i + rows[i].descendants`.
 */
import type { WaterfallRow } from '../../src/shared/protocol/waterfall';

/** What {@link computeVisibleRows} and {@link filterRows} need of a row. */
export type TreeRow = Pick<WaterfallRow, 'parent' | 'descendants'>;

export interface FilterResult {
  /** Rows that match the query, plus their ancestors (so a match is shown in its place in the tree). */
  readonly shown: ReadonlySet<number>;
  /** Rows that match the query themselves. */
  readonly matches: ReadonlySet<number>;
  /** {@link shown}, ascending. */
  readonly shownSorted: readonly number[];
  /** {@link matches}, ascending (display order). */
  readonly matchList: readonly number[];
}

/**
 * Row indices to display, in order. Without a filter a collapsed row hides its descendants; with a filter,
 * every match and its ancestors are shown whatever is collapsed (the user asked to see them).
 * O(rows shown + collapsed subtrees skipped): a collapsed row's subtree is skipped in one step.
 */
export function computeVisibleRows(rows: readonly TreeRow[], collapsed: ReadonlySet<number>, filter?: FilterResult | null): number[] {
  if (filter) return filter.shownSorted.slice();
  const out: number[] = [];
  for (let i = 0; i < rows.length; ) {
    const row = rows[i];
    out.push(i);
    i += row && collapsed.has(i) ? row.descendants + 1 : 1;
  }
  return out;
}

/**
 * The rows of `subset` (ascending) to display when collapsed rows hide their descendants: each collapsed row's
 * subtree is skipped with a binary search, so this is O(rows shown × log |subset|), whatever the trace size.
 */
export function visibleInSubset(rows: readonly TreeRow[], subset: readonly number[], collapsed: ReadonlySet<number>): number[] {
  const out: number[] = [];
  for (let j = 0; j < subset.length; ) {
    const i = subset[j] as number;
    out.push(i);
    const row = rows[i];
    if (row && row.descendants > 0 && collapsed.has(i)) j = lowerBound(subset, i + row.descendants + 1, j + 1);
    else j++;
  }
  return out;
}

/** The first index `k >= from` of ascending `xs` with `xs[k] >= value` (`xs.length` when none). */
export function lowerBound(xs: ArrayLike<number>, value: number, from = 0): number {
  let lo = from;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((xs[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Position of `value` in ascending `xs`, or -1. */
export function indexOfSorted(xs: ArrayLike<number>, value: number): number {
  const k = lowerBound(xs, value);
  return k < xs.length && xs[k] === value ? k : -1;
}

/** `found` plus their ancestors, ascending. Out-of-range indices are ignored. O(|found| + ancestors added + sort of those). */
export function withAncestors(rows: readonly TreeRow[], found: Iterable<number>): { readonly set: Set<number>; readonly sorted: number[] } {
  const set = new Set<number>();
  for (const i of found) {
    if (!Number.isInteger(i) || i < 0 || i >= rows.length || set.has(i)) continue;
    set.add(i);
    for (const a of ancestors(rows, i)) {
      if (set.has(a)) break;
      set.add(a);
    }
  }
  return { set, sorted: [...set].sort((a, b) => a - b) };
}

/** Rows on the critical path (a non-empty `critical`), with their ancestors so the tree stays readable; ascending. */
export function criticalWithAncestors(rows: readonly (TreeRow & { readonly critical: readonly unknown[] })[]): { readonly set: Set<number>; readonly sorted: number[] } {
  const found: number[] = [];
  rows.forEach((r, i) => {
    if (r.critical.length > 0) found.push(i);
  });
  return withAncestors(rows, found);
}

/**
 * Traces with more rows than this open collapsed (see {@link defaultCollapsed}). Up to 10,000 rows a fully
 * expanded waterfall scrolls smoothly and reads like the trace (what the 10k checks and the bench measure); beyond,
 * a flat list stops being readable, so the trace opens on its top levels and its critical path.
 */
export const COLLAPSE_BY_DEFAULT_ROWS = 10_000;
/** Whole levels above this depth (0 = the top level) are expanded first in a large trace. */
export const COLLAPSE_BY_DEFAULT_DEPTH = 2;
/** About how many rows a large trace opens with. */
export const DEFAULT_VISIBLE_ROWS = 2000;

/**
 * The rows a large trace (more than {@link COLLAPSE_BY_DEFAULT_ROWS} rows) opens with collapsed; smaller traces
 * open fully expanded (an empty set). Rows are expanded, within a budget of about {@link DEFAULT_VISIBLE_ROWS}
 * visible rows:
 * 1. the top levels, a whole level at a time (depth 0, then 1: so the first three levels show), while they fit;
 * 2. then the spans of the critical path, parents first, each when its children fit, so the path is open as far
 *    down as the budget allows.
 * Every other row with children is collapsed (its twistie says how many spans it hides). O(rows).
 */
export function defaultCollapsed(rows: readonly (TreeRow & { readonly depth: number; readonly critical: readonly unknown[] })[], budget = DEFAULT_VISIBLE_ROWS): Set<number> {
  const out = new Set<number>();
  const n = rows.length;
  if (n <= COLLAPSE_BY_DEFAULT_ROWS) return out;
  const expanded = new Uint8Array(n);
  const childCount = (r: number): number => {
    let c = 0;
    const end = r + (rows[r]?.descendants ?? 0);
    for (let j = r + 1; j <= end; j += (rows[j]?.descendants ?? 0) + 1) c++;
    return c;
  };
  let visible = 0;
  let level: number[] = [];
  for (let i = 0; i < n; i += (rows[i]?.descendants ?? 0) + 1) {
    visible++;
    if ((rows[i]?.descendants ?? 0) > 0) level.push(i);
  }
  for (let d = 0; d < COLLAPSE_BY_DEFAULT_DEPTH && level.length > 0; d++) {
    const cost = level.reduce((t, r) => t + childCount(r), 0);
    if (visible + cost > budget) break;
    visible += cost;
    const next: number[] = [];
    for (const r of level) {
      expanded[r] = 1;
      const end = r + (rows[r]?.descendants ?? 0);
      for (let j = r + 1; j <= end; j += (rows[j]?.descendants ?? 0) + 1) if ((rows[j]?.descendants ?? 0) > 0) next.push(j);
    }
    level = next;
  }
  for (let r = 0; r < n; r++) {
    const row = rows[r];
    if (!row || expanded[r] || row.descendants === 0 || row.critical.length === 0) continue;
    if (row.parent >= 0 && !expanded[row.parent]) continue;
    const cost = childCount(r);
    if (visible + cost > budget) continue;
    visible += cost;
    expanded[r] = 1;
  }
  for (let r = 0; r < n; r++) if (!expanded[r] && (rows[r]?.descendants ?? 0) > 0) out.add(r);
  return out;
}

/**
 * Where the texts `needles` (lower case) occur in `text`, case-insensitively: sorted, merged [start, end) ranges.
 * Empty when the lower-cased text would not line up with the original (rare Unicode case mappings).
 */
export function highlightRanges(text: string, needles: readonly string[]): [number, number][] {
  if (needles.length === 0 || text === '') return [];
  const lower = text.toLowerCase();
  if (lower.length !== text.length) return [];
  const ranges: [number, number][] = [];
  for (const n of needles) {
    if (!n) continue;
    for (let at = lower.indexOf(n); at >= 0 && ranges.length < 200; at = lower.indexOf(n, at + n.length)) ranges.push([at, at + n.length]);
  }
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

/** Parent row indices of `row`, nearest first. Stops on a malformed (cyclic or forward) parent link. */
export function ancestors(rows: readonly TreeRow[], row: number): number[] {
  const out: number[] = [];
  let p = rows[row]?.parent ?? -1;
  while (p >= 0 && p < row && out.length < rows.length) {
    out.push(p);
    const next = rows[p]?.parent ?? -1;
    if (next >= p) break;
    p = next;
  }
  return out;
}

/** True when `row` is below `ancestor` in the tree. */
export function isDescendant(rows: readonly TreeRow[], ancestor: number, row: number): boolean {
  const a = rows[ancestor];
  return !!a && row > ancestor && row <= ancestor + a.descendants;
}

/** Removes the ancestors of `row` from `collapsed` so the row is visible; returns whether anything changed. */
export function revealRow(rows: readonly TreeRow[], collapsed: Set<number>, row: number): boolean {
  let changed = false;
  for (const a of ancestors(rows, row)) changed = collapsed.delete(a) || changed;
  return changed;
}

/**
 * The filter result for rows matching a query (the host searches: it holds every span's attributes), with their
 * ancestors so matches show in context. Out-of-range indices from the host are ignored.
 */
export function filterFromMatches(rows: readonly TreeRow[], found: readonly number[]): FilterResult {
  const matches = new Set<number>();
  for (const i of found) if (Number.isInteger(i) && i >= 0 && i < rows.length) matches.add(i);
  const matchList = [...matches].sort((a, b) => a - b);
  const { set, sorted } = withAncestors(rows, matchList);
  return { shown: set, matches, shownSorted: sorted, matchList };
}

/** For each row, its 1-based position among its siblings and the number of siblings (aria-posinset/-setsize). */
export function siblingPositions(rows: readonly TreeRow[]): { readonly posInSet: Int32Array; readonly setSize: Int32Array } {
  const posInSet = new Int32Array(rows.length);
  const setSize = new Int32Array(rows.length);
  const counts = new Map<number, number>();
  rows.forEach((r, i) => {
    const n = (counts.get(r.parent) ?? 0) + 1;
    counts.set(r.parent, n);
    posInSet[i] = n;
  });
  rows.forEach((r, i) => (setSize[i] = counts.get(r.parent) ?? 1));
  return { posInSet, setSize };
}

/**
 * Which entries of an ancestor chain of `length` (root first, the span last) a breadcrumb shows: all of them, or
 * the root, a gap (-1) and the `nearest` ancestors before the span.
 */
export function crumbItems(length: number, expanded: boolean, nearest = 5): number[] {
  const all = Array.from({ length }, (_, i) => i);
  if (expanded || length <= nearest + 2) return all;
  return [0, -1, ...all.slice(length - 1 - nearest)];
}
