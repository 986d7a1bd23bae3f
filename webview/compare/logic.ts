/**
 * The DOM-free logic of the comparison webview: formatting, which rows are visible (collapse + "only differences"),
 * navigation and the key map. Pure: unit-tested from node (test/unit/compareLogic.test.ts).
 */
import type { CompareRow } from '../../src/shared/protocol/compare';
import { formatDuration, sig3 } from '../waterfall/format';

// One way to write durations in every view: the waterfall's.
export { formatDuration };

/** A signed difference: `+3.14 s`, `−12.3 ms` (a real minus sign), `±0`. */
export function formatDiff(us: number): string {
  if (us === 0) return '±0';
  return `${us > 0 ? '+' : '−'}${formatDuration(Math.abs(us))}`;
}

/** B relative to A: `13.8× slower`, `2.1× faster`, `same`; `—` when A is 0. */
export function formatRatio(a: number, b: number): string {
  if (!(a > 0) || !(b > 0)) return '—';
  const r = b / a;
  if (Math.abs(r - 1) < 0.005) return 'same';
  return r > 1 ? `${sig3(r)}× slower` : `${sig3(1 / r)}× faster`;
}

/** How the Δ cell is coloured: a regression (slower), an improvement, or noise. */
export function diffClass(row: Pick<CompareRow, 'diffUs' | 'status'>): 'up' | 'down' | 'flat' {
  if (row.status === 'same' || row.diffUs === 0) return 'flat';
  return row.diffUs > 0 ? 'up' : 'down';
}

/**
 * `×1 → ×2` when the parent has a different number of same-key children in A and B (both at least one: "only in A/B"
 * already says the rest), `2/3` for the k-th of repeated siblings, else ''.
 */
export function repeatLabel(row: Pick<CompareRow, 'countA' | 'countB' | 'ordinal'>): string {
  if (row.countA !== row.countB) return row.countA > 0 && row.countB > 0 ? `×${row.countA} → ×${row.countB}` : '';
  return row.countA > 1 ? `${row.ordinal + 1}/${row.countA}` : '';
}

/** Rows that differ, with their ancestors: what "only differences" shows. */
export function differenceSet(rows: readonly Pick<CompareRow, 'status' | 'parent'>[]): Uint8Array {
  const shown = new Uint8Array(rows.length);
  for (let i = rows.length - 1; i >= 0; i--) {
    const r = rows[i];
    if (!r || (r.status === 'same' && !shown[i])) continue;
    shown[i] = 1;
    if (r.parent >= 0) shown[r.parent] = 1;
  }
  return shown;
}

/**
 * The rows to list, in order: every row not inside a collapsed row, and (when `only` is given) marked in `only`.
 * Linear: a collapsed row's subtree is skipped with its descendant count.
 */
export function visibleRows(rows: readonly Pick<CompareRow, 'descendants'>[], collapsed: ReadonlySet<number>, only?: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < rows.length; ) {
    const r = rows[i] as Pick<CompareRow, 'descendants'>;
    if (only && !only[i]) {
      i++;
      continue;
    }
    out.push(i);
    i += collapsed.has(i) ? r.descendants + 1 : 1;
  }
  return out;
}

/** The ancestors of `row`, nearest first. */
export function ancestorsOf(rows: readonly Pick<CompareRow, 'parent'>[], row: number): number[] {
  const out: number[] = [];
  for (let p = rows[row]?.parent ?? -1; p >= 0; p = rows[p]?.parent ?? -1) out.push(p);
  return out;
}

/** The next (dir 1) / previous (dir -1) row after/before `from` whose status is not `same`, wrapping; -1 if none. */
export function nextDifference(rows: readonly Pick<CompareRow, 'status'>[], from: number, dir: 1 | -1): number {
  const n = rows.length;
  for (let k = 1; k <= n; k++) {
    const i = (((from + dir * k) % n) + n) % n;
    if (rows[i]?.status !== 'same') return i;
  }
  return -1;
}

/** Left and width (percent of the scale) of a bar starting at `startUs` lasting `durUs`, at least 0.2 % wide. */
export function barGeometry(startUs: number, durUs: number, scaleUs: number): { left: number; width: number } {
  if (!(scaleUs > 0)) return { left: 0, width: 0 };
  const left = Math.max(0, Math.min(100, (startUs / scaleUs) * 100));
  const width = Math.max(0.2, Math.min(100 - left, (durUs / scaleUs) * 100));
  return { left, width };
}

export type CompareCommand = 'up' | 'down' | 'left' | 'right' | 'home' | 'end' | 'pageUp' | 'pageDown' | 'nextDiff' | 'prevDiff' | 'toggleOnlyDiffs' | 'firstRegression';

export interface KeyLike {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
}

const KEYS: Readonly<Record<string, CompareCommand>> = {
  ArrowUp: 'up',
  k: 'up',
  ArrowDown: 'down',
  j: 'down',
  ArrowLeft: 'left',
  h: 'left',
  ArrowRight: 'right',
  l: 'right',
  Home: 'home',
  End: 'end',
  PageUp: 'pageUp',
  PageDown: 'pageDown',
  n: 'nextDiff',
  N: 'prevDiff',
  d: 'toggleOnlyDiffs',
  r: 'firstRegression',
};

/** The command of a key press, or undefined (modifier combinations belong to VS Code). */
export function commandForKey(e: KeyLike): CompareCommand | undefined {
  if (e.ctrlKey || e.metaKey || e.altKey) return undefined;
  return Object.prototype.hasOwnProperty.call(KEYS, e.key) ? KEYS[e.key] : undefined;
}
