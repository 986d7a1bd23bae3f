/**
 * Where a navigation key moves the selection. Pure: no DOM, unit-tested from node.
 */
import type { WaterfallRow } from '../../src/shared/protocol/waterfall';

/**
 * The next (dir 1) or previous (dir -1) entry of the ascending list `sorted` after/before `current`,
 * wrapping around; -1 when the list is empty.
 */
export function stepSorted(sorted: readonly number[], current: number, dir: 1 | -1): number {
  const n = sorted.length;
  if (n === 0) return -1;
  // Binary search: the first entry > current (dir 1) or the last entry < current (dir -1).
  const bound = (strict: boolean): number => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const v = sorted[mid] as number;
      if (v < current || (strict && v === current)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  if (dir === 1) {
    const k = bound(true);
    return (k < n ? sorted[k] : sorted[0]) ?? -1;
  }
  const k = bound(false) - 1;
  return (k >= 0 ? sorted[k] : sorted[n - 1]) ?? -1;
}

/** Row indices of error spans, in display order. */
export function errorRows(rows: readonly Pick<WaterfallRow, 'error'>[]): number[] {
  const out: number[] = [];
  rows.forEach((r, i) => {
    if (r.error) out.push(i);
  });
  return out;
}

/** The next/previous error span in display order after/before `current`, wrapping; -1 when there is none. */
export function nextErrorRow(rows: readonly Pick<WaterfallRow, 'error'>[], current: number, dir: 1 | -1): number {
  return stepSorted(errorRows(rows), current, dir);
}

/**
 * The next/previous span along the critical path. `criticalRows` is in the order the path visits them and may
 * name a row more than once (a parent is on the path before and after a child); a row's first visit counts.
 * From a span off the path, `c` goes to the first span of the path and `C` to the last.
 */
export function nextCriticalRow(criticalRows: readonly number[], current: number, dir: 1 | -1): number {
  const path = uniqueInOrder(criticalRows);
  if (path.length === 0) return -1;
  const at = path.indexOf(current);
  if (at < 0) return (dir === 1 ? path[0] : path[path.length - 1]) ?? -1;
  const n = path.length;
  return path[(at + dir + n) % n] ?? -1;
}

/** The distinct values of `xs`, each at its first position. */
export function uniqueInOrder(xs: readonly number[]): number[] {
  return [...new Set(xs)];
}

/** A position moved by `delta` within `0 .. length - 1` (clamped); -1 when there are no rows. */
export function movePosition(length: number, position: number, delta: number): number {
  if (length <= 0) return -1;
  if (position < 0) return delta < 0 ? length - 1 : 0;
  return Math.max(0, Math.min(length - 1, position + delta));
}

/** Index of the first row in the visible window of a fixed-row-height scroll container (for virtualization). */
export interface RowWindow {
  readonly first: number;
  /** Exclusive. */
  readonly last: number;
}

/** The rows to render for a viewport: those intersecting it plus `overscan` rows above and below. */
export function visibleWindow(count: number, rowHeight: number, scrollTop: number, viewportHeight: number, overscan: number): RowWindow {
  if (count <= 0 || rowHeight <= 0) return { first: 0, last: 0 };
  const top = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const bottom = Math.min(count, Math.ceil((scrollTop + Math.max(0, viewportHeight)) / rowHeight) + overscan);
  return { first: Math.min(top, count), last: Math.max(bottom, Math.min(top, count)) };
}

/** The scrollTop that brings row position `pos` fully into view (unchanged when it already is). */
export function scrollToReveal(pos: number, rowHeight: number, scrollTop: number, viewportHeight: number): number {
  const top = pos * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return scrollTop;
}
