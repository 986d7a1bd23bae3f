/** Maps an analysed trace to the view model the waterfall webview renders (src/shared/protocol/waterfall.ts). */
import type { SpanDetails, StackLine, WaterfallEvent, WaterfallModel, WaterfallRow } from '../../shared/protocol/waterfall';
import type { TraceAnalysis } from './analyze';
import { codeRefOf, hasCodeOrRoute, parseStackTrace, routeRefOf } from './codeRef';
import type { AttrValue, Attribute, SpanEvent } from './model';
import { attr } from './model';

/** Longest attribute value shipped to the webview; longer ones are cut with a note (a hostile 50 MB attribute stays on the host). */
export const maxValueChars = 16_384;

const noDetails: SpanDetails = { attributes: [], resource: [], events: [], links: [] };

/** The critical segments of every row off the critical path: one frozen list, not one per row. */
const offPath: readonly (readonly [number, number])[] = Object.freeze([]);

/** The lean model the waterfall list renders; details of a row come from {@link toSpanDetails}. */
export function toWaterfallModel(a: TraceAnalysis, source: string): WaterfallModel {
  const serviceIndex = new Map(a.services.map((s, i) => [s, i]));
  const rows: WaterfallRow[] = a.rows.map((r) => {
    const s = r.span;
    const critical = r.critical.length === 0 ? offPath : r.critical.map(([cs, ce]) => [cs - a.startUs, ce - a.startUs] as const);
    if (!s) {
      return {
        id: `missing:${r.missingParentId ?? ''}`,
        parent: r.parent,
        depth: r.depth,
        name: `missing parent ${r.missingParentId ?? ''}`,
        service: '',
        serviceIndex: -1,
        kind: '',
        startUs: r.startUs - a.startUs,
        durationUs: r.endUs - r.startUs,
        selfUs: 0,
        descendants: r.descendants,
        error: false,
        status: '',
        missingParent: true,
        critical,
        hasCode: false,
      };
    }
    return {
      id: s.spanId,
      parent: r.parent,
      depth: r.depth,
      name: s.name,
      service: s.service,
      serviceIndex: serviceIndex.get(s.service) ?? -1,
      kind: s.kind,
      startUs: r.startUs - a.startUs,
      durationUs: r.endUs - r.startUs,
      selfUs: r.selfUs,
      descendants: r.descendants,
      error: s.status.code === 'error',
      status: s.status.code,
      ...(s.status.message ? { statusMessage: clip(s.status.message) } : {}),
      critical,
      hasCode: hasCodeOrRoute(s.attributes),
    };
  });
  const root = a.rootRow >= 0 ? a.rows[a.rootRow]?.span : a.rows.find((r) => r.span)?.span;
  return {
    traceId: a.traceId,
    title: root ? root.name || '(unnamed span)' : '(empty trace)',
    startIso: new Date(a.startUs / 1000).toISOString(),
    durationUs: a.endUs - a.startUs,
    services: a.services,
    spanCount: a.spanCount,
    errorCount: a.errorRows.length,
    slowestRow: a.slowestRow,
    criticalRows: a.criticalRows,
    rows,
    warnings: a.warnings,
    source,
  };
}

/** What the detail pane shows of every row (`details[i]` belongs to row `i`): attributes, resource, events, links, code. */
export function toSpanDetails(a: TraceAnalysis): SpanDetails[] {
  // Spans of one process share one resource array object: convert each once.
  const resources = new Map<readonly Attribute[], [string, string][]>();
  const resourceOf = (attrs: readonly Attribute[]): [string, string][] => {
    let r = resources.get(attrs);
    if (!r) resources.set(attrs, (r = pairs(attrs)));
    return r;
  };
  return a.rows.map((r): SpanDetails => {
    const s = r.span;
    if (!s) return noDetails;
    const code = codeRefOf(s.attributes);
    const route = code ? undefined : routeRefOf(s.attributes);
    return {
      attributes: pairs(s.attributes),
      resource: resourceOf(s.resource),
      ...(s.scope ? { scope: s.scope.version ? `${s.scope.name} ${s.scope.version}` : s.scope.name } : {}),
      events: s.events.map((e) => toEvent(e, a.startUs)),
      links: s.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: pairs(l.attributes) })),
      ...(code ? { code } : {}),
      ...(route ? { route } : {}),
    };
  });
}

function toEvent(e: SpanEvent, traceStartUs: number): WaterfallEvent {
  const base = { name: e.name, offsetUs: e.timeUs - traceStartUs, attributes: pairs(e.attributes) };
  if (e.name !== 'exception') return base;
  const type = attr(e.attributes, 'exception.type');
  const message = attr(e.attributes, 'exception.message');
  const stack = attr(e.attributes, 'exception.stacktrace');
  const lines: StackLine[] = typeof stack === 'string' ? parseStackTrace(clip(stack)) : [];
  return {
    ...base,
    exception: {
      ...(typeof type === 'string' ? { type: clip(type) } : {}),
      ...(typeof message === 'string' ? { message: clip(message) } : {}),
      stack: lines,
    },
  };
}

function pairs(attributes: readonly Attribute[]): [string, string][] {
  return attributes.map((a) => [clip(a.key), clip(display(a.value))]);
}

/** An attribute value as the user reads it: strings verbatim, everything else as JSON. */
export function display(v: AttrValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v) ?? 'null';
}

function clip(s: string): string {
  return s.length <= maxValueChars ? s : `${s.slice(0, maxValueChars)}… (${s.length - maxValueChars} more characters not shown)`;
}
