/** The CLI's view of one analysed trace: a JSON-ready report and its text rendering. */
import type { TraceAnalysis } from '../core/traces/analyze';
import type { StatsEntry, TraceStats } from '../shared/protocol/waterfall';

export interface TraceReport {
  readonly traceId: string;
  readonly format: string;
  readonly root: { readonly spanId: string; readonly name: string; readonly service: string } | null;
  readonly startTime: string;
  readonly durationMs: number;
  readonly spanCount: number;
  readonly services: readonly string[];
  readonly errors: readonly { spanId: string; name: string; service: string; message: string | null }[];
  readonly slowestSpan: { readonly spanId: string; readonly name: string; readonly service: string; readonly criticalMs: number } | null;
  /** Segments of the critical path in time order; a span appears once per stretch it is on the path. */
  readonly criticalPath: readonly { spanId: string; name: string; service: string; offsetMs: number; criticalMs: number }[];
  readonly spans: readonly {
    spanId: string | null;
    parentSpanId: string | null;
    depth: number;
    name: string;
    service: string;
    kind: string;
    offsetMs: number;
    durationMs: number;
    selfMs: number;
    status: string;
    critical: boolean;
    missingParent?: string;
  }[];
  readonly warnings: readonly string[];
}

const ms = (us: number): number => Math.round(us) / 1000;

export function traceReport(a: TraceAnalysis, format: string): TraceReport {
  const criticalOf = (r: number): number => (a.rows[r]?.critical ?? []).reduce((t, [s, e]) => t + e - s, 0);
  const root = a.rootRow >= 0 ? a.rows[a.rootRow]?.span : undefined;
  const slow = a.slowestRow >= 0 ? a.rows[a.slowestRow]?.span : undefined;
  const critical = new Set(a.criticalRows);
  return {
    traceId: a.traceId,
    format,
    root: root ? { spanId: root.spanId, name: root.name, service: root.service } : null,
    startTime: new Date(a.startUs / 1000).toISOString(),
    durationMs: ms(a.endUs - a.startUs),
    spanCount: a.spanCount,
    services: a.services,
    errors: a.errorRows.map((r) => {
      const s = a.rows[r]?.span;
      return { spanId: s?.spanId ?? '', name: s?.name ?? '', service: s?.service ?? '', message: s?.status.message ?? null };
    }),
    slowestSpan: slow ? { spanId: slow.spanId, name: slow.name, service: slow.service, criticalMs: ms(criticalOf(a.slowestRow)) } : null,
    criticalPath: a.rows
      .flatMap((row) => row.critical.map(([cs, ce]) => ({ row, cs, ce })))
      .sort((x, y) => x.cs - y.cs)
      .map(({ row, cs, ce }) => ({ spanId: row.span?.spanId ?? '', name: row.span?.name ?? '', service: row.span?.service ?? '', offsetMs: ms(cs - a.startUs), criticalMs: ms(ce - cs) })),
    spans: a.rows.map((row, r) => ({
      spanId: row.span?.spanId ?? null,
      parentSpanId: row.span?.parentSpanId ?? null,
      depth: row.depth,
      name: row.span?.name ?? `missing parent ${row.missingParentId ?? ''}`,
      service: row.span?.service ?? '',
      kind: row.span?.kind ?? '',
      offsetMs: ms(row.startUs - a.startUs),
      durationMs: ms(row.endUs - row.startUs),
      selfMs: ms(row.selfUs),
      status: row.span?.status.code ?? '',
      critical: critical.has(r),
      ...(row.span ? {} : { missingParent: row.missingParentId ?? '' }),
    })),
    warnings: a.warnings,
  };
}

/** Plain text, no colours: safe to paste into an incident channel. Control characters from the trace are escaped. */
export function renderReport(r: TraceReport): string {
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  const clean = (s: string): string => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const lines: string[] = [];
  lines.push(`Trace ${r.traceId}  (${r.format})`);
  lines.push(`  root       ${r.root ? `${clean(r.root.name)} [${clean(r.root.service)}]` : '(none)'}`);
  lines.push(`  started    ${r.startTime}`);
  lines.push(`  duration   ${r.durationMs} ms`);
  lines.push(`  spans      ${r.spanCount}`);
  lines.push(`  services   ${r.services.map(clean).join(', ')}`);
  lines.push(`  errors     ${r.errors.length === 0 ? 'none' : r.errors.map((e) => `${clean(e.name)} [${clean(e.service)}]${e.message ? `: ${clean(e.message)}` : ''}`).join('; ')}`);
  if (r.slowestSpan) lines.push(`  slowest    ${clean(r.slowestSpan.name)} [${clean(r.slowestSpan.service)}] — ${r.slowestSpan.criticalMs} ms on the critical path`);
  lines.push(`  critical   ${r.criticalPath.map((c) => `${clean(c.name)} (${c.criticalMs} ms)`).join(' → ')}`);
  for (const w of r.warnings) lines.push(`  warning    ${clean(w)}`);
  lines.push('');
  lines.push('  offset ms   duration ms   span');
  for (const s of r.spans) {
    const mark = s.status === 'error' ? '✗' : s.critical ? '*' : ' ';
    lines.push(`  ${s.offsetMs.toFixed(3).padStart(9)}  ${s.durationMs.toFixed(3).padStart(12)}  ${mark} ${'  '.repeat(s.depth)}${clean(s.name)}${s.service ? ` [${clean(s.service)}]` : ''}`);
  }
  lines.push('');
  lines.push('  ✗ error   * on the critical path');
  return lines.join('\n');
}

/** The statistics of `--stats`: per service and per (service, operation), in ms, self time first. */
export interface StatsReport {
  readonly traceId: string;
  readonly spanCount: number;
  readonly durationMs: number;
  readonly services: readonly StatsLine[];
  readonly operations: readonly StatsLine[];
}

export interface StatsLine {
  readonly service: string;
  readonly operation?: string;
  readonly count: number;
  readonly selfMs: number;
  readonly totalMs: number;
  readonly criticalMs: number;
  readonly errors: number;
  readonly maxMs: number;
}

export function statsReport(traceId: string, s: TraceStats): StatsReport {
  const line = (e: StatsEntry): StatsLine => ({
    service: e.service,
    ...(e.operation !== undefined ? { operation: e.operation } : {}),
    count: e.count,
    selfMs: ms(e.selfUs),
    totalMs: ms(e.totalUs),
    criticalMs: ms(e.criticalUs),
    errors: e.errors,
    maxMs: ms(e.maxUs),
  });
  return { traceId, spanCount: s.spanCount, durationMs: ms(s.durationUs), services: s.services.map(line), operations: s.operations.map(line) };
}

/** Two plain-text tables (by service, by operation); trace text has control characters escaped. */
export function renderStats(r: StatsReport): string {
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  const clean = (s: string): string => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const num = (v: number): string => v.toFixed(3).padStart(11);
  const table = (title: string, lines: readonly StatsLine[]): string[] => [
    `  ${title}`,
    `  ${'spans'.padStart(6)} ${'self ms'.padStart(11)} ${'total ms'.padStart(11)} ${'critical ms'.padStart(11)} ${'errors'.padStart(6)} ${'max ms'.padStart(11)}  name`,
    ...lines.map((l) => `  ${String(l.count).padStart(6)} ${num(l.selfMs)} ${num(l.totalMs)} ${num(l.criticalMs)} ${String(l.errors).padStart(6)} ${num(l.maxMs)}  ${l.operation !== undefined ? `${clean(l.operation)} [${clean(l.service)}]` : clean(l.service)}`),
  ];
  return [
    `Trace ${r.traceId}: ${r.spanCount} spans, ${r.durationMs} ms`,
    '',
    ...table('By service (self time: time not covered by a child span)', r.services),
    '',
    ...table('By operation', r.operations),
  ].join('\n');
}
