/**
 * One span of a waterfall as something to paste elsewhere: JSON ("Copy span as JSON"), a Markdown summary, and
 * the plain object the incident notebook's `oncall.notebook.addSpan` command takes. Pure: unit-tested from node.
 *
 * Built from what the host holds of a loaded trace: the row (times relative to the trace start) and its details
 * (attribute values as display strings: strings verbatim, other values as their JSON).
 */
import type { NotebookSpan, NotebookTrace, SpanDetails, WaterfallModel, WaterfallRow } from '../../shared/protocol/waterfall';

const ms = (us: number): number => Math.round(us) / 1000;

/** The ISO time `offsetUs` after the trace start `startIso` (µs precision), or undefined when it cannot be computed. */
export function isoAt(startIso: string, offsetUs: number): string | undefined {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(startIso);
  if (!m) return undefined;
  const seconds = Date.parse(`${m[1]}Z`);
  if (Number.isNaN(seconds) || !Number.isFinite(offsetUs)) return undefined;
  const total = seconds * 1000 + Number(((m[2] ?? '') + '000000').slice(0, 6)) + Math.round(offsetUs);
  const wholeMs = Math.floor(total / 1e6) * 1000;
  return `${new Date(wholeMs).toISOString().slice(0, 19)}.${String(total - wholeMs * 1000).padStart(6, '0')}Z`;
}

function record(pairs: readonly (readonly [string, string])[]): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, v] of pairs) out[k] = v;
  return out;
}

/** The span of `model.rows[index]` as a JSON-ready object (undefined for a synthetic "missing parent" row). */
export function spanAsJson(model: WaterfallModel, index: number, details: SpanDetails | undefined): Record<string, unknown> | undefined {
  const row = model.rows[index];
  if (!row || row.missingParent) return undefined;
  const parent = model.rows[row.parent];
  const parentSpanId = parent ? (parent.missingParent ? parent.id.slice('missing:'.length) : parent.id) : undefined;
  const critical = row.critical.reduce((t, [s, e]) => t + Math.max(0, e - s), 0);
  return {
    traceId: model.traceId,
    spanId: row.id,
    ...(parentSpanId ? { parentSpanId } : {}),
    name: row.name,
    service: row.service,
    kind: row.kind,
    startTime: isoAt(model.startIso, row.startUs) ?? null,
    offsetMs: ms(row.startUs),
    durationMs: ms(row.durationUs),
    selfMs: ms(row.selfUs),
    ...(critical > 0 ? { criticalPathMs: ms(critical) } : {}),
    status: { code: row.status || 'unset', ...(row.statusMessage ? { message: row.statusMessage } : {}) },
    attributes: record(details?.attributes ?? []),
    resource: record(details?.resource ?? []),
    ...(details?.scope ? { scope: details.scope } : {}),
    events: (details?.events ?? []).map((e) => ({ name: e.name, offsetMs: ms(e.offsetUs), attributes: record(e.attributes) })),
    links: (details?.links ?? []).map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: record(l.attributes) })),
    ...(details?.code ? { code: details.code } : {}),
    source: model.source,
  };
}

/** What `oncall.notebook.addSpan` gets: plain data only. */
export function notebookSpan(model: WaterfallModel, index: number): NotebookSpan | undefined {
  const row = model.rows[index];
  if (!row || row.missingParent) return undefined;
  return { traceId: model.traceId, spanId: row.id, service: row.service, name: row.name, durationMs: ms(row.durationUs), error: row.error, source: model.source, startIso: offsetIso(model.startIso, row.startUs) };
}

/** What `oncall.notebook.addTrace` gets: the trace summarized, plain data only. */
export function notebookTrace(model: WaterfallModel): NotebookTrace {
  const root = model.rows.find((r) => !r.missingParent);
  const slow = model.rows[model.slowestRow];
  return {
    traceId: model.traceId,
    service: root?.service ?? '',
    name: root?.name ?? model.title,
    durationMs: ms(model.durationUs),
    spanCount: model.spanCount,
    errorCount: model.errorCount,
    slowest: slow && !slow.missingParent ? { service: slow.service, name: slow.name, selfMs: ms(slow.selfUs) } : undefined,
    source: model.source,
    startIso: model.startIso,
  };
}

/** `iso` plus `us` microseconds, as ISO 8601 (milliseconds); undefined when `iso` is not a time. */
function offsetIso(iso: string, us: number): string | undefined {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : new Date(t + Math.floor(us / 1000)).toISOString();
}

/** Markdown special characters of trace text escaped, newlines flattened: the text stays text when pasted. */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`);
}

/** A short Markdown summary of the span, for the clipboard (what "Add to notebook" copies while there is no notebook). */
export function spanMarkdown(model: WaterfallModel, index: number): string | undefined {
  const row: WaterfallRow | undefined = model.rows[index];
  if (!row || row.missingParent) return undefined;
  const lines = [
    `**${escapeMarkdown(row.name)}** · ${escapeMarkdown(row.service)}${row.error ? ' · ❌ error' : ''}`,
    '',
    `- Duration: ${ms(row.durationUs)} ms (self ${ms(row.selfUs)} ms), at +${ms(row.startUs)} ms`,
    `- Status: ${row.status || 'unset'}${row.statusMessage ? ` — ${escapeMarkdown(row.statusMessage)}` : ''}`,
    `- Trace \`${model.traceId}\` · span \`${row.id}\``,
  ];
  if (model.source) lines.push(`- Source: ${escapeMarkdown(model.source)}`);
  return lines.join('\n');
}
