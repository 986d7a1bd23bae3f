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
}

/**
 * Row indices to display, in order. Without a filter a collapsed row hides its descendants; with a filter,
 * every match and its ancestors are shown whatever is collapsed (the user asked to see them).
 */
export function computeVisibleRows(rows: readonly TreeRow[], collapsed: ReadonlySet<number>, filter?: FilterResult | null): number[] {
  const out: number[] = [];
  if (filter) {
    for (let i = 0; i < rows.length; i++) if (filter.shown.has(i)) out.push(i);
    return out;
  }
  for (let i = 0; i < rows.length; ) {
    const row = rows[i];
    out.push(i);
    i += row && collapsed.has(i) ? row.descendants + 1 : 1;
  }
  return out;
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
  const shown = new Set<number>();
  for (const i of found) {
    if (!Number.isInteger(i) || i < 0 || i >= rows.length) continue;
    matches.add(i);
    shown.add(i);
    for (const a of ancestors(rows, i)) {
      if (shown.has(a)) break;
      shown.add(a);
    }
  }
  return { shown, matches };
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
