/**
 * Compares two analysed traces (say a slow checkout against a fast one of the same route) as one merged tree.
 *
 * Matching: a node of the merged tree is identified by its path of (service, operation) keys from the top level.
 * Under a matched parent, the children of A and of B are grouped by key and matched in start order: the k-th
 * `SELECT` of A pairs with the k-th `SELECT` of B; the extra ones of the side with more are `added` (only in B) or
 * `missing` (only in A), and every node carries how many same-key siblings each side has. Unmatched nodes never
 * match below them: a subtree only in A is `missing` as a whole. Top-level spans (roots, missing-parent groups,
 * spans left over from a parent cycle) are matched the same way under a virtual root.
 *
 * Order: siblings keep A's order; a node only in B goes right after the node its predecessor in B was matched to,
 * so a retried call shows next to the first attempt rather than at the end.
 *
 * Iterative throughout (an explicit stack, typed arrays): a 100 000-deep chain or a 100 000-wide fan-out is linear.
 */
import type { CompareModel, CompareRank, CompareRow, CompareStatus, CompareSummary, CompareTraceInfo } from '../../shared/protocol/compare';
import type { AnalyzedRow, TraceAnalysis } from './analyze';
import { parseTraceIdInput } from './ids';

export interface CompareOptions {
  /** A matched node is `changed` when its durations differ by at least this many µs … (default 1 ms) */
  readonly minDiffUs?: number;
  /** … and by at least this fraction of the larger duration (default 0.1: 10 %). A different error state always counts. */
  readonly minRatio?: number;
  /** Length of the summary's top lists (default 10). */
  readonly top?: number;
}

export interface TraceComparison {
  readonly rows: readonly CompareRow[];
  readonly summary: CompareSummary;
}

/** One trace's rows as flat arrays: key id, child lists, offset of each row from its parent's start. */
interface Side {
  readonly rows: readonly AnalyzedRow[];
  readonly key: Int32Array;
  /** Children of row r: kids[offset[r]] .. kids[offset[r + 1] - 1], in start order; top-level rows under index n. */
  readonly offset: Int32Array;
  readonly kids: Int32Array;
}

/** Row index standing for "the virtual root" (the parent of every top-level row) of a side with `n` rows. */
const virtualRoot = (s: Side): number => s.rows.length;

function side(a: TraceAnalysis, keys: Map<string, number>): Side {
  const rows = a.rows;
  const n = rows.length;
  const key = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const row = rows[r] as AnalyzedRow;
    // The synthetic group of spans whose parent is absent: its absent parent's ID differs between traces, so all
    // such groups share one key (matched in order like any repeated sibling).
    const k = row.span ? `${row.span.service}\u0000${row.span.name}` : '\u0001missing';
    let id = keys.get(k);
    if (id === undefined) keys.set(k, (id = keys.size));
    key[r] = id;
  }
  // Child lists with the virtual root (index n) as the parent of top-level rows. Rows are depth-first with
  // children in start order, so filling in row order keeps that order.
  const offset = new Int32Array(n + 2);
  for (let r = 0; r < n; r++) {
    const p = (rows[r] as AnalyzedRow).parent;
    const pi = p < 0 ? n : p;
    offset[pi + 1] = (offset[pi + 1] as number) + 1;
  }
  for (let p = 0; p <= n; p++) offset[p + 1] = (offset[p + 1] as number) + (offset[p] as number);
  const fill = offset.slice(0, n + 1);
  const kids = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const p = (rows[r] as AnalyzedRow).parent;
    const pi = p < 0 ? n : p;
    kids[fill[pi] as number] = r;
    fill[pi] = (fill[pi] as number) + 1;
  }
  return { rows, key, offset, kids };
}

const durationOf = (r: AnalyzedRow): number => r.endUs - r.startUs;
const isError = (r: AnalyzedRow): boolean => r.span?.status.code === 'error';

/** Compares trace `a` (the baseline) with trace `b`: a merged tree in display order, and a summary. */
export function compareTraces(a: TraceAnalysis, b: TraceAnalysis, options: CompareOptions = {}): TraceComparison {
  const minDiffUs = options.minDiffUs ?? 1000;
  const minRatio = options.minRatio ?? 0.1;
  const top = options.top ?? 10;
  const keys = new Map<string, number>();
  const A = side(a, keys);
  const B = side(b, keys);
  const nA = a.rows.length;
  const nB = b.rows.length;

  // The explicit stack of pairs still to emit. Every row is pushed at most once, plus the two virtual roots.
  const cap = nA + nB + 2;
  const stA = new Int32Array(cap);
  const stB = new Int32Array(cap);
  const stParent = new Int32Array(cap);
  const stDepth = new Int32Array(cap);
  const stOrdinal = new Int32Array(cap);
  const stCountA = new Int32Array(cap);
  const stCountB = new Int32Array(cap);
  const stGroupA = new Float64Array(cap);
  const stGroupB = new Float64Array(cap);

  const rows: MutableRow[] = [];
  // Scratch for merging one parent's children, allocated once: per key id (reset after each parent for the keys
  // it touched), per B row (each B row is a child of exactly one parent, so written once), per pair.
  const K = keys.size;
  const cntA = new Int32Array(K);
  const cntB = new Int32Array(K);
  const seenB = new Int32Array(K);
  const sumA = new Float64Array(K);
  const sumB = new Float64Array(K);
  /** Same-key B children as linked lists in start order: head per key, next per B row, cursor per key. */
  const headB = new Int32Array(K).fill(-1);
  const tailB = new Int32Array(K).fill(-1);
  const curB = new Int32Array(K).fill(-1);
  const nextB = new Int32Array(nB + 1).fill(-1);
  /** For each matched B row: its partner's position among A's children. */
  const matchedPos = new Int32Array(nB + 1).fill(-1);
  const pairCap = Math.max(nA, nB) + nB + 1;
  const pairA = new Int32Array(pairCap);
  const pairB = new Int32Array(pairCap);
  const pairOrdinal = new Int32Array(pairCap);
  const pairMajor = new Float64Array(pairCap);
  const pairMinor = new Int32Array(pairCap);

  let sp = 0;
  /** Pushes the merged children of A row `ra` and B row `rb` (either may be the virtual root or -1). */
  const pushChildren = (ra: number, rb: number, parentNode: number, depth: number): void => {
    const fromA = ra >= 0 ? (A.offset[ra] as number) : 0;
    const toA = ra >= 0 ? (A.offset[ra + 1] as number) : 0;
    const fromB = rb >= 0 ? (B.offset[rb] as number) : 0;
    const toB = rb >= 0 ? (B.offset[rb + 1] as number) : 0;
    if (fromA === toA && fromB === toB) return;
    // Same-key siblings of B in start order, counted and summed.
    for (let i = fromB; i < toB; i++) {
      const r = B.kids[i] as number;
      const k = B.key[r] as number;
      if (headB[k] === -1) headB[k] = curB[k] = r;
      else nextB[tailB[k] as number] = r;
      tailB[k] = r;
      cntB[k] = (cntB[k] as number) + 1;
      sumB[k] = (sumB[k] as number) + durationOf(B.rows[r] as AnalyzedRow);
    }
    // A's children in A's order, each with the B child of the same key and ordinal (the cursor walks B's list).
    let n = 0;
    for (let i = fromA; i < toA; i++) {
      const r = A.kids[i] as number;
      const k = A.key[r] as number;
      const partner = curB[k] as number;
      if (partner >= 0) {
        matchedPos[partner] = i - fromA;
        curB[k] = nextB[partner] as number;
      }
      pairA[n] = r;
      pairB[n] = partner;
      pairOrdinal[n] = cntA[k] as number;
      pairMajor[n] = i - fromA;
      pairMinor[n] = -1;
      n++;
      cntA[k] = (cntA[k] as number) + 1;
      sumA[k] = (sumA[k] as number) + durationOf(A.rows[r] as AnalyzedRow);
    }
    // B rows beyond A's count of their key: placed after the partners of all matched B rows before them; those
    // before the first matched B row go right before its partner; with no match at all, after A's rows.
    let anchor = toA - fromA;
    for (let i = fromB; i < toB; i++) {
      const m = matchedPos[B.kids[i] as number] as number;
      if (m >= 0) {
        anchor = m - 0.5;
        break;
      }
    }
    let extra = false;
    for (let i = fromB; i < toB; i++) {
      const r = B.kids[i] as number;
      const k = B.key[r] as number;
      const o = seenB[k] as number;
      seenB[k] = o + 1;
      const m = matchedPos[r] as number;
      if (m >= 0) {
        anchor = Math.max(anchor, m);
        continue;
      }
      extra = true;
      pairA[n] = -1;
      pairB[n] = r;
      pairOrdinal[n] = o;
      pairMajor[n] = anchor;
      pairMinor[n] = i - fromB;
      n++;
    }
    let order: number[] | undefined;
    if (extra) {
      order = Array.from({ length: n }, (_, i) => i);
      order.sort((x, y) => (pairMajor[x] as number) - (pairMajor[y] as number) || (pairMinor[x] as number) - (pairMinor[y] as number));
    }
    // Pushed in reverse so they pop in display order.
    for (let j = n - 1; j >= 0; j--) {
      const i = order ? (order[j] as number) : j;
      const ka = pairA[i] as number;
      const kb = pairB[i] as number;
      const k = ka >= 0 ? (A.key[ka] as number) : (B.key[kb] as number);
      const cA = cntA[k] as number;
      const cB = cntB[k] as number;
      const ord = pairOrdinal[i] as number;
      stA[sp] = ka;
      stB[sp] = kb;
      stParent[sp] = parentNode;
      stDepth[sp] = depth;
      stOrdinal[sp] = ord;
      stCountA[sp] = cA;
      stCountB[sp] = cB;
      const grouped = ord === 0 && (cA > 1 || cB > 1);
      stGroupA[sp] = grouped ? (sumA[k] as number) : NaN;
      stGroupB[sp] = grouped ? (sumB[k] as number) : NaN;
      sp++;
    }
    // Reset the per-key scratch of the keys this parent used.
    for (let i = fromA; i < toA; i++) {
      const k = A.key[A.kids[i] as number] as number;
      cntA[k] = cntB[k] = seenB[k] = 0;
      sumA[k] = sumB[k] = 0;
      headB[k] = tailB[k] = curB[k] = -1;
    }
    for (let i = fromB; i < toB; i++) {
      const k = B.key[B.kids[i] as number] as number;
      cntA[k] = cntB[k] = seenB[k] = 0;
      sumA[k] = sumB[k] = 0;
      headB[k] = tailB[k] = curB[k] = -1;
    }
  };

  pushChildren(virtualRoot(A), virtualRoot(B), -1, 0);
  while (sp > 0) {
    sp--;
    const ra = stA[sp] as number;
    const rb = stB[sp] as number;
    const rowA = ra >= 0 ? (A.rows[ra] as AnalyzedRow) : undefined;
    const rowB = rb >= 0 ? (B.rows[rb] as AnalyzedRow) : undefined;
    const any = (rowA ?? rowB) as AnalyzedRow;
    const durA = rowA ? durationOf(rowA) : null;
    const durB = rowB ? durationOf(rowB) : null;
    const errorA = rowA ? isError(rowA) : false;
    const errorB = rowB ? isError(rowB) : false;
    const diffUs = (durB ?? 0) - (durA ?? 0);
    let status: CompareStatus;
    if (!rowA) status = 'added';
    else if (!rowB) status = 'missing';
    else {
      const abs = Math.abs(diffUs);
      status = errorA !== errorB || (abs >= minDiffUs && abs >= minRatio * Math.max(durA ?? 0, durB ?? 0)) ? 'changed' : 'same';
    }
    const groupA = stGroupA[sp] as number;
    const groupB = stGroupB[sp] as number;
    const node = rows.length;
    const row: MutableRow = {
      parent: stParent[sp] as number,
      depth: stDepth[sp] as number,
      descendants: 0,
      name: any.span ? any.span.name : 'missing parent',
      service: any.span ? any.span.service : '',
      status,
      durA,
      durB,
      selfA: rowA ? (rowA.span ? rowA.selfUs : 0) : null,
      selfB: rowB ? (rowB.span ? rowB.selfUs : 0) : null,
      startA: rowA ? rowA.startUs - a.startUs : null,
      startB: rowB ? rowB.startUs - b.startUs : null,
      diffUs,
      errorA,
      errorB,
      ordinal: stOrdinal[sp] as number,
      countA: stCountA[sp] as number,
      countB: stCountB[sp] as number,
      spanIdA: rowA ? (rowA.span?.spanId ?? '') : null,
      spanIdB: rowB ? (rowB.span?.spanId ?? '') : null,
    };
    if (!any.span) row.missingParent = true;
    if (!Number.isNaN(groupA)) {
      row.groupA = groupA;
      row.groupB = groupB;
    }
    rows.push(row);
    // Only matched nodes look for matches below them: an unmatched subtree is added/missing as a whole.
    pushChildren(ra, rb, node, row.depth + 1);
  }

  for (let r = rows.length - 1; r >= 0; r--) {
    const p = (rows[r] as MutableRow).parent;
    if (p >= 0) (rows[p] as MutableRow).descendants += 1 + (rows[r] as MutableRow).descendants;
  }
  return { rows, summary: summarize(a, b, rows, top) };
}

type MutableRow = { -readonly [K in keyof CompareRow]: CompareRow[K] };

function summarize(a: TraceAnalysis, b: TraceAnalysis, rows: readonly CompareRow[], top: number): CompareSummary {
  let added = 0;
  let missing = 0;
  let changed = 0;
  let same = 0;
  const up: number[] = [];
  const down: number[] = [];
  const selfUp: number[] = [];
  const selfDiff = new Float64Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as CompareRow;
    if (row.status === 'added') added++;
    else if (row.status === 'missing') missing++;
    else if (row.status === 'changed') changed++;
    else same++;
    if (row.missingParent) continue;
    if (row.diffUs > 0) up.push(r);
    else if (row.diffUs < 0) down.push(r);
    const sd = (row.selfB ?? 0) - (row.selfA ?? 0);
    selfDiff[r] = sd;
    if (sd > 0) selfUp.push(r);
  }
  // Ties keep display order (shallower, earlier rows first).
  const rank = (list: number[], value: (r: number) => number, sign: 1 | -1): CompareRank[] =>
    list
      .sort((x, y) => sign * (value(y) - value(x)) || x - y)
      .slice(0, top)
      .map((row) => ({ row, diffUs: value(row) }));
  const diff = (r: number): number => (rows[r] as CompareRow).diffUs;
  const totalA = a.endUs - a.startUs;
  const totalB = b.endUs - b.startUs;
  return {
    totalA,
    totalB,
    diffUs: totalB - totalA,
    spansA: a.spanCount,
    spansB: b.spanCount,
    errorsA: a.errorRows.length,
    errorsB: b.errorRows.length,
    added,
    missing,
    changed,
    same,
    regressions: rank(up, diff, 1),
    selfRegressions: rank(selfUp, (r) => selfDiff[r] as number, 1),
    improvements: rank(down, diff, -1),
  };
}

/** What the comparison view's header says about one side. */
export function traceInfo(a: TraceAnalysis, source: string): CompareTraceInfo {
  const root = a.rootRow >= 0 ? a.rows[a.rootRow]?.span : a.rows.find((r) => r.span)?.span;
  return {
    traceId: a.traceId,
    title: root ? root.name || '(unnamed span)' : '(empty trace)',
    rootService: root?.service ?? '',
    startIso: new Date(a.startUs / 1000).toISOString(),
    durationUs: a.endUs - a.startUs,
    spanCount: a.spanCount,
    errorCount: a.errorRows.length,
    source,
  };
}

/** The model the comparison webview renders. */
export function toCompareModel(a: TraceAnalysis, b: TraceAnalysis, sourceA: string, sourceB: string, options: CompareOptions = {}): CompareModel {
  const { rows, summary } = compareTraces(a, b, options);
  return {
    a: traceInfo(a, sourceA),
    b: traceInfo(b, sourceB),
    rows,
    summary,
    warnings: [...a.warnings.map((w) => `A: ${w}`), ...b.warnings.map((w) => `B: ${w}`)],
  };
}

/**
 * The trace IDs in `text`: one ID, link or traceparent, or several separated by spaces, commas or "vs" (two pasted
 * IDs: A then B). When a part is not an ID, `message` says which.
 */
export function parseTraceIdList(text: string): { ids: string[] } | { message: string } {
  const whole = parseTraceIdInput(text);
  if (whole.ok) return { ids: [whole.traceId] };
  const parts = text
    .split(/[\s,;]+|↔/)
    .map((p) => p.trim())
    .filter((p) => p !== '' && !/^(vs\.?|versus|and|with|to|<->|->)$/i.test(p));
  if (parts.length < 2) return { message: whole.message };
  const ids: string[] = [];
  for (const p of parts) {
    const r = parseTraceIdInput(p);
    if (!r.ok) return { message: `"${p.length > 40 ? `${p.slice(0, 40)}…` : p}": ${r.message}` };
    ids.push(r.traceId);
  }
  return { ids };
}
