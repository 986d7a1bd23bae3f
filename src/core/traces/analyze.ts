/**
 * Turns the spans of one trace into display rows and the facts an on-call engineer needs first: the tree
 * (spans whose parent is absent are grouped, parent cycles are broken), self time, the critical path, the
 * errors and the slow span. Iterative throughout: a 100k-deep chain must not overflow the stack.
 */
import type { Span, Trace } from './model';
import { SpanIdTable } from './spanIdTable';

export interface AnalyzedRow {
  /** The span, or undefined for the synthetic group of spans whose parent is not in the trace. */
  readonly span: Span | undefined;
  /** For the synthetic group row: the absent parent's span ID. */
  readonly missingParentId?: string;
  /** Row index of the parent row, -1 at top level. */
  readonly parent: number;
  readonly depth: number;
  descendants: number;
  startUs: number;
  endUs: number;
  selfUs: number;
  /** Absolute [start, end) µs intervals of this span that are on the critical path (a shared empty list for most rows). */
  critical: readonly (readonly [number, number])[];
}

export interface TraceAnalysis {
  readonly traceId: string;
  readonly spanCount: number;
  readonly startUs: number;
  readonly endUs: number;
  readonly rows: readonly AnalyzedRow[];
  /** Services in order of first appearance in the rows. */
  readonly services: readonly string[];
  /** Row of the root the critical path was computed from, or -1. */
  readonly rootRow: number;
  readonly errorRows: readonly number[];
  /** Rows on the critical path, ordered by when they are on it. */
  readonly criticalRows: readonly number[];
  /** The span that contributes most time to the critical path (else the largest self time), or -1. */
  readonly slowestRow: number;
  readonly warnings: readonly string[];
}

/** The `critical` list of every row that is not on the critical path: one frozen array instead of one per row. */
const offPath: readonly (readonly [number, number])[] = Object.freeze([]);

export function analyzeTrace(trace: Trace): TraceAnalysis {
  const spans = trace.spans;
  const n = spans.length;
  const warnings: string[] = [...trace.warnings];

  // 1. Parent index per span. Duplicate IDs (e.g. a Zipkin shared client/server span) nest under the first.
  const byId = new SpanIdTable(spans);
  const parentOf = new Int32Array(n).fill(-1);
  const missingOf: (string | undefined)[] = new Array<string | undefined>(n);
  const starts = new Float64Array(n);
  let duplicates = 0;
  // Only a trace with duplicates needs a second lookup per span.
  const hasDuplicates = byId.size < n;
  for (let i = 0; i < n; i++) {
    const s = spans[i] as Span;
    starts[i] = s.startUs;
    if (hasDuplicates) {
      const first = byId.get(s.spanId);
      if (first !== i) {
        parentOf[i] = first;
        if (!s.attributes.some((a) => a.key === 'zipkin.shared')) duplicates++;
        continue;
      }
    }
    if (s.parentSpanId === undefined) continue;
    const p = byId.get(s.parentSpanId);
    if (p < 0) missingOf[i] = s.parentSpanId;
    else if (p === i) warnings.push(`Span "${s.name}" (${s.spanId}) names itself as its parent; shown as a root.`);
    else parentOf[i] = p;
  }
  if (duplicates > 0) warnings.push(`${duplicates} span(s) reuse another span's ID; each is shown under the first span with that ID.`);

  const byStart = (a: number, b: number): number => {
    const d = (starts[a] as number) - (starts[b] as number);
    return d < 0 ? -1 : d > 0 ? 1 : a - b;
  };
  const children = childLists(parentOf);
  for (let p = 0; p < n; p++) sortRange(children.kids, children.offset[p] as number, children.offset[p + 1] as number, starts, 1);
  const roots: number[] = [];
  const missingGroups = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    if ((parentOf[i] as number) >= 0) continue;
    const missing = missingOf[i];
    if (missing !== undefined) {
      let g = missingGroups.get(missing);
      if (!g) missingGroups.set(missing, (g = []));
      g.push(i);
    } else roots.push(i);
  }
  roots.sort(byStart);

  // 2. Rows, depth first. Missing-parent groups come after the real roots; cycles are broken at their earliest span.
  const rows: AnalyzedRow[] = [];
  const visited = new Uint8Array(n);
  // One explicit stack for every walk (a span is pushed by its parent at most once, plus each walk's start).
  const stackSpan = new Int32Array(2 * n + 2);
  const stackParent = new Int32Array(2 * n + 2);
  const stackDepth = new Int32Array(2 * n + 2);
  const emit = (start: number, parentRow: number, depth: number): void => {
    let sp = 0;
    stackSpan[0] = start;
    stackParent[0] = parentRow;
    stackDepth[0] = depth;
    sp = 1;
    while (sp > 0) {
      sp--;
      const i = stackSpan[sp] as number;
      if (visited[i]) continue;
      visited[i] = 1;
      const d = stackDepth[sp] as number;
      const s = spans[i] as Span;
      const row = rows.length;
      rows.push({ span: s, parent: stackParent[sp] as number, depth: d, descendants: 0, startUs: s.startUs, endUs: s.startUs + s.durationUs, selfUs: s.durationUs, critical: offPath });
      for (let k = (children.offset[i + 1] as number) - 1; k >= (children.offset[i] as number); k--) {
        stackSpan[sp] = children.kids[k] as number;
        stackParent[sp] = row;
        stackDepth[sp] = d + 1;
        sp++;
      }
    }
  };
  for (const r of roots) emit(r, -1, 0);
  for (const members of missingGroups.values()) members.sort(byStart);
  const groups = [...missingGroups].sort((a, b) => byStart(a[1][0] as number, b[1][0] as number));
  for (const [missingId, members] of groups) {
    const first = spans[members[0] as number] as Span;
    const groupRow = rows.length;
    rows.push({ span: undefined, missingParentId: missingId, parent: -1, depth: 0, descendants: 0, startUs: first.startUs, endUs: first.startUs, selfUs: 0, critical: offPath });
    for (const m of members) emit(m, groupRow, 1);
  }
  if (missingGroups.size > 0) {
    const count = [...missingGroups.values()].reduce((a, g) => a + g.length, 0);
    warnings.push(`${count} span(s) name a parent that is not in this trace (${[...missingGroups.keys()].slice(0, 3).join(', ')}${missingGroups.size > 3 ? ', …' : ''}); they are grouped under "missing parent".`);
  }
  const cycleStarts: string[] = [];
  if (rows.length - missingGroups.size < n) {
    const rest = [...Array(n).keys()].filter((i) => !visited[i]).sort(byStart);
    for (const i of rest) {
      if (visited[i]) continue;
      cycleStarts.push(`"${(spans[i] as Span).name}" (${(spans[i] as Span).spanId})`);
      emit(i, -1, 0);
    }
    warnings.push(`Parent links form a cycle; broken at ${cycleStarts.slice(0, 3).join(', ')}${cycleStarts.length > 3 ? ', …' : ''}, shown as top-level span(s).`);
  }

  // 3. Descendant counts, group extents, self time (duration not covered by children), all bottom-up.
  // Rows are in depth-first order, so each row's children (in row order) are already in start order.
  const rowParent = new Int32Array(rows.length);
  for (let r = 0; r < rows.length; r++) rowParent[r] = (rows[r] as AnalyzedRow).parent;
  const rowChildren = childLists(rowParent);
  for (let r = rows.length - 1; r >= 0; r--) {
    const row = rows[r] as AnalyzedRow;
    const from = rowChildren.offset[r] as number;
    const to = rowChildren.offset[r + 1] as number;
    for (let k = from; k < to; k++) row.descendants += 1 + (rows[rowChildren.kids[k] as number] as AnalyzedRow).descendants;
    if (!row.span) {
      for (let k = from; k < to; k++) row.endUs = Math.max(row.endUs, (rows[rowChildren.kids[k] as number] as AnalyzedRow).endUs);
      continue;
    }
    row.selfUs = row.endUs - row.startUs - coveredTime(row, rows, rowChildren.kids, from, to);
  }

  let startUs = Infinity;
  let endUs = -Infinity;
  for (const row of rows) {
    if (!row.span) continue;
    startUs = Math.min(startUs, row.startUs);
    endUs = Math.max(endUs, row.endUs);
  }
  if (!Number.isFinite(startUs)) startUs = endUs = 0;

  // 4. Critical path from the longest real top-level span.
  let rootRow = -1;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as AnalyzedRow;
    if (row.parent !== -1 || !row.span) continue;
    if (rootRow < 0 || row.endUs - row.startUs > (rows[rootRow] as AnalyzedRow).endUs - (rows[rootRow] as AnalyzedRow).startUs) rootRow = r;
  }
  const criticalRows = rootRow >= 0 ? criticalPath(rows, rowChildren, rootRow) : [];

  let slowestRow = -1;
  let best = -1;
  // Each row's critical time once, in path order (a row can be on the path more than once: before and after a child).
  const counted = new Uint8Array(rows.length);
  for (const r of criticalRows) {
    if (counted[r]) continue;
    counted[r] = 1;
    let t = 0;
    const segments = (rows[r] as AnalyzedRow).critical;
    for (let k = 0; k < segments.length; k++) t += (segments[k] as readonly [number, number])[1] - (segments[k] as readonly [number, number])[0];
    if (t > best) {
      best = t;
      slowestRow = r;
    }
  }
  if (slowestRow < 0) {
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r] as AnalyzedRow;
      if (row.span && row.selfUs > best) [best, slowestRow] = [row.selfUs, r];
    }
  }

  const services: string[] = [];
  const seen = new Set<string>();
  const errorRows: number[] = [];
  let last: string | undefined;
  for (let r = 0; r < rows.length; r++) {
    const s = (rows[r] as AnalyzedRow).span;
    if (!s) continue;
    // Neighbouring rows are mostly of one service (the same string): no lookup for those.
    if (s.service !== last && !seen.has((last = s.service))) {
      seen.add(last);
      services.push(last);
    }
    if (s.status.code === 'error') errorRows.push(r);
  }

  return { traceId: trace.traceId, spanCount: n, startUs, endUs, rows, services, rootRow, errorRows, criticalRows, slowestRow, warnings };
}

/** Children of nodes `0..n-1` in one flat array: node p's are `kids[offset[p]] .. kids[offset[p + 1] - 1]`, in index order. */
interface ChildLists {
  readonly offset: Int32Array;
  readonly kids: Int32Array;
}

/** Child lists from a parent index per node (-1 for none). */
function childLists(parents: Int32Array): ChildLists {
  const n = parents.length;
  const offset = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const p = parents[i] as number;
    if (p >= 0) offset[p + 1] = (offset[p + 1] as number) + 1;
  }
  for (let p = 0; p < n; p++) offset[p + 1] = (offset[p + 1] as number) + (offset[p] as number);
  const fill = offset.slice(0, n);
  const kids = new Int32Array(offset[n] as number);
  for (let i = 0; i < n; i++) {
    const p = parents[i] as number;
    if (p < 0) continue;
    kids[fill[p] as number] = i;
    fill[p] = (fill[p] as number) + 1;
  }
  return { offset, kids };
}

/** Total time within `row` covered by the union of its children's intervals (`kids[from..to)`, in start order). */
function coveredTime(row: AnalyzedRow, rows: readonly AnalyzedRow[], kids: Int32Array, from: number, to: number): number {
  let covered = 0;
  let curStart = -Infinity;
  let curEnd = -Infinity;
  for (let i = from; i < to; i++) {
    const k = rows[kids[i] as number] as AnalyzedRow;
    const s = Math.max(k.startUs, row.startUs);
    const e = Math.min(k.endUs, row.endUs);
    if (e <= s) continue;
    if (s > curEnd) {
      if (curEnd > curStart) covered += curEnd - curStart;
      curStart = s;
      curEnd = e;
    } else curEnd = Math.max(curEnd, e);
  }
  if (curEnd > curStart) covered += curEnd - curStart;
  return covered;
}

/**
 * Sorts `ids[from..to)` by `key[id] * sign`, ties by id: insertion sort in place for the short runs nearly every
 * parent has (no subarray, no comparator calls), the built-in sort for long ones. Same order either way.
 */
function sortRange(ids: Int32Array, from: number, to: number, key: Float64Array, sign: 1 | -1): void {
  if (to - from < 2) return;
  if (to - from > 32) {
    // The comparator returns small integers: a double result would be boxed on every call.
    ids.subarray(from, to).sort((a, b) => {
      const d = sign * ((key[a] as number) - (key[b] as number));
      return d < 0 ? -1 : d > 0 ? 1 : a - b;
    });
    return;
  }
  for (let i = from + 1; i < to; i++) {
    const id = ids[i] as number;
    const k = sign * (key[id] as number);
    let j = i - 1;
    for (; j >= from; j--) {
      const other = ids[j] as number;
      const ko = sign * (key[other] as number);
      if (ko < k || (ko === k && other < id)) break;
      ids[j + 1] = other;
    }
    ids[j + 1] = id;
  }
}

/**
 * The critical path (the algorithm of Jaeger UI's `computeCriticalPath`, made iterative): from the root's end,
 * repeatedly descend into the last-finishing child that ends before the current point; the gaps in between are
 * the parent's own time on the path. Children are clipped to their parent. Fills `row.critical`; returns the
 * rows in time order. Typed arrays and one pass: no per-row allocations, no sorting of the output (the walk
 * produces segments from the end backwards, so reversing them gives time order).
 */
function criticalPath(rows: readonly AnalyzedRow[], rowChildren: ChildLists, root: number): number[] {
  const n = rows.length;
  // Each span clipped to its parent's clipped interval, top-down (rows are in depth-first order, parents first),
  // so a child that outlives a parent which itself outlived the root counts only while the root waited.
  const effStart = new Float64Array(n);
  const effEnd = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const row = rows[r] as AnalyzedRow;
    if (r === root || row.parent < 0) {
      effStart[r] = row.startUs;
      effEnd[r] = row.endUs;
    } else {
      effStart[r] = Math.max(row.startUs, effStart[row.parent] as number);
      effEnd[r] = Math.min(row.endUs, effEnd[row.parent] as number);
    }
  }
  // Each row's children sorted by clipped end, latest first.
  const offset = rowChildren.offset;
  const kids = rowChildren.kids.slice();
  for (let r = 0; r < n; r++) sortRange(kids, offset[r] as number, offset[r + 1] as number, effEnd, -1);
  const cursor = offset.slice(0, n);

  const segRow: number[] = [];
  const segStart: number[] = [];
  const segEnd: number[] = [];
  let current = root;
  let until = effEnd[root] as number;
  for (;;) {
    // Children ending after `until` ran while we were already waiting on a later sibling: skip them for good
    // (`until` only decreases for a given span). Ending exactly at `until` counts (sequential work). Every pick
    // advances the cursor, so zero-length spans cannot loop. Synthetic rows and spans clipped away are skipped.
    const stop = offset[current + 1] as number;
    let c = cursor[current] as number;
    let next = -1;
    for (; c < stop; c++) {
      const k = kids[c] as number;
      if ((effEnd[k] as number) > until || (effEnd[k] as number) < (effStart[k] as number) || !(rows[k] as AnalyzedRow).span) continue;
      next = k;
      c++;
      break;
    }
    cursor[current] = c;
    if (next >= 0) {
      const ce = effEnd[next] as number;
      if (ce < until) {
        segRow.push(current);
        segStart.push(ce);
        segEnd.push(until);
      }
      current = next;
      until = ce;
      continue;
    }
    const start = effStart[current] as number;
    if (start < until) {
      segRow.push(current);
      segStart.push(start);
      segEnd.push(until);
    }
    if (current === root) break;
    until = start;
    current = (rows[current] as AnalyzedRow).parent;
  }
  const order: number[] = [];
  for (let i = segRow.length - 1; i >= 0; i--) {
    const r = segRow[i] as number;
    const row = rows[r] as AnalyzedRow;
    // Most rows on the path have one segment: an exact-size literal, not an empty array grown by push.
    const segment: readonly [number, number] = [segStart[i] as number, segEnd[i] as number];
    if (row.critical === offPath) row.critical = [segment];
    else (row.critical as (readonly [number, number])[]).push(segment);
    if (order[order.length - 1] !== r) order.push(r);
  }
  return order;
}
