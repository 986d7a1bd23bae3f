/**
 * Trace statistics: where the time went, per service and per (service, operation). Pure: unit-tested from node,
 * used by the waterfall's Statistics view (through the host) and by `oncall-lens trace --stats`.
 *
 * - **count**: spans in the group.
 * - **total**: sum of the spans' durations. Inclusive: a span's children are in it, and nested spans of the same
 *   group count again, so totals can exceed the trace's duration.
 * - **self**: sum of the spans' self times (time not covered by any child span). Self times of one trace do not
 *   overlap along a call chain, so this is the column that says where the time was spent.
 * - **critical**: sum of the spans' stretches on the critical path (what the user waited on).
 * - **errors**: spans with status error. **max**: the longest span.
 *
 * The synthetic "missing parent" rows are not spans and are not counted.
 */
import type { StatsEntry, TraceStats } from '../../shared/protocol/waterfall';
import type { TraceAnalysis } from './analyze';

/** What statistics need of a row (a `WaterfallRow` has it). */
export interface StatsRow {
  readonly service: string;
  readonly name: string;
  readonly durationUs: number;
  readonly selfUs: number;
  readonly error: boolean;
  readonly critical: readonly (readonly [number, number])[];
  readonly missingParent?: boolean;
}

interface Acc {
  service: string;
  operation?: string;
  count: number;
  totalUs: number;
  selfUs: number;
  criticalUs: number;
  errors: number;
  maxUs: number;
}

function add(acc: Acc, r: StatsRow, criticalUs: number): void {
  acc.count++;
  acc.totalUs += r.durationUs;
  acc.selfUs += r.selfUs;
  acc.criticalUs += criticalUs;
  if (r.error) acc.errors++;
  if (r.durationUs > acc.maxUs) acc.maxUs = r.durationUs;
}

/** Largest self time first; ties by total, then by name (stable, deterministic output). */
export function bySelfTime(a: StatsEntry, b: StatsEntry): number {
  return b.selfUs - a.selfUs || b.totalUs - a.totalUs || a.service.localeCompare(b.service) || (a.operation ?? '').localeCompare(b.operation ?? '');
}

export function traceStats(rows: readonly StatsRow[], durationUs: number): TraceStats {
  const services = new Map<string, Acc>();
  // Keyed by service, then operation: no string concatenation per span.
  const operations = new Map<string, Map<string, Acc>>();
  let spanCount = 0;
  for (const r of rows) {
    if (r.missingParent) continue;
    spanCount++;
    let criticalUs = 0;
    for (const [s, e] of r.critical) criticalUs += Math.max(0, e - s);
    let svc = services.get(r.service);
    if (!svc) services.set(r.service, (svc = { service: r.service, count: 0, totalUs: 0, selfUs: 0, criticalUs: 0, errors: 0, maxUs: 0 }));
    add(svc, r, criticalUs);
    let ops = operations.get(r.service);
    if (!ops) operations.set(r.service, (ops = new Map()));
    let op = ops.get(r.name);
    if (!op) ops.set(r.name, (op = { service: r.service, operation: r.name, count: 0, totalUs: 0, selfUs: 0, criticalUs: 0, errors: 0, maxUs: 0 }));
    add(op, r, criticalUs);
  }
  const ops: StatsEntry[] = [];
  for (const m of operations.values()) for (const a of m.values()) ops.push({ ...a });
  return {
    services: [...services.values()].map((a) => ({ ...a })).sort(bySelfTime),
    operations: ops.sort(bySelfTime),
    spanCount,
    durationUs,
  };
}

/** Statistics of an analysed trace (the CLI's entry; the waterfall's host passes its model rows to {@link traceStats}). */
export function statsOfAnalysis(a: TraceAnalysis): TraceStats {
  const rows: StatsRow[] = a.rows.map((r) =>
    r.span
      ? { service: r.span.service, name: r.span.name, durationUs: r.endUs - r.startUs, selfUs: r.selfUs, error: r.span.status.code === 'error', critical: r.critical }
      : { service: '', name: '', durationUs: 0, selfUs: 0, error: false, critical: [], missingParent: true },
  );
  return traceStats(rows, a.endUs - a.startUs);
}
