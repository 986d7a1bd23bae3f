/**
 * OTLP/JSON (as the OpenTelemetry JS SDK serializes it) → the JSON each backend serves, by the mapping rules of
 * ../shared/reference/trace-apis.md: Jaeger v1 (collector-contrib translator + Jaeger's UI model), Jaeger v3
 * (ptrace JSON: hex IDs, integer enums, int64 as strings), Tempo (gogo jsonpb: base64 IDs, enum names, int64 as
 * strings) and Zipkin v2 (the OTel Zipkin exporter rules). scripts/gen-backend-payloads.mjs writes the same mappings
 * for the committed fixtures; test/unit/backends.test.ts checks the two agree.
 */

export interface OtlpValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
  bytesValue?: string;
  arrayValue?: { values?: OtlpValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
}
export interface OtlpKeyValue {
  key: string;
  value: OtlpValue;
}
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  traceState?: string;
  name: string;
  kind?: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes?: OtlpKeyValue[];
  events?: { timeUnixNano: string; name: string; attributes?: OtlpKeyValue[] }[];
  links?: { traceId: string; spanId: string; attributes?: OtlpKeyValue[] }[];
  status?: { code?: number; message?: string };
  flags?: number;
}
export interface OtlpDoc {
  resourceSpans: { resource?: { attributes?: OtlpKeyValue[] }; scopeSpans: { scope?: { name?: string; version?: string }; spans: OtlpSpan[] }[] }[];
}

/** One trace's spans with their service and scope, flattened. */
export interface FlatSpan {
  readonly span: OtlpSpan;
  readonly resource: OtlpKeyValue[];
  readonly scope: { name?: string; version?: string } | undefined;
  readonly service: string;
}

export function flatten(doc: OtlpDoc): FlatSpan[] {
  const out: FlatSpan[] = [];
  for (const rs of doc.resourceSpans) {
    const resource = rs.resource?.attributes ?? [];
    const service = resource.find((a) => a.key === 'service.name')?.value.stringValue ?? 'OTLPResourceNoServiceName';
    for (const ss of rs.scopeSpans) for (const span of ss.spans) out.push({ span, resource, scope: ss.scope, service });
  }
  return out;
}

/** Back to OTLP, one ResourceSpans per (resource, scope) as the SDK groups them. */
export function toOtlp(spans: readonly FlatSpan[]): OtlpDoc {
  const byResource = new Map<OtlpKeyValue[], Map<string, { scope: FlatSpan['scope']; spans: OtlpSpan[] }>>();
  for (const f of spans) {
    let scopes = byResource.get(f.resource);
    if (!scopes) byResource.set(f.resource, (scopes = new Map()));
    const key = `${f.scope?.name ?? ''}@${f.scope?.version ?? ''}`;
    let entry = scopes.get(key);
    if (!entry) scopes.set(key, (entry = { scope: f.scope, spans: [] }));
    entry.spans.push(f.span);
  }
  return {
    resourceSpans: [...byResource].map(([attributes, scopes]) => ({
      resource: { attributes },
      scopeSpans: [...scopes.values()].map((s) => ({ ...(s.scope ? { scope: s.scope } : {}), spans: s.spans })),
    })),
  };
}

const nsBig = (v: string | number): bigint => BigInt(v);
const micros = (ns: string): number => Number(nsBig(ns) / 1000n);
/** Jaeger renders a trace ID with a zero high half as 16 chars (jaeger-idl TraceID.String). */
export const jaegerTraceId = (id: string): string => (id.startsWith('0000000000000000') ? id.slice(16) : id);

function jaegerTag(key: string, v: OtlpValue): { key: string; type: string; value: unknown } {
  if (v.stringValue !== undefined) return { key, type: 'string', value: v.stringValue };
  if (v.boolValue !== undefined) return { key, type: 'bool', value: v.boolValue };
  if (v.intValue !== undefined) return { key, type: 'int64', value: Number.isSafeInteger(Number(v.intValue)) ? Number(v.intValue) : String(v.intValue) };
  if (v.doubleValue !== undefined) return { key, type: 'float64', value: v.doubleValue };
  if (v.bytesValue !== undefined) return { key, type: 'binary', value: v.bytesValue };
  return { key, type: 'string', value: JSON.stringify(v) };
}

const jaegerKinds = [undefined, 'internal', 'server', 'client', 'producer', 'consumer'];

/** One Jaeger UI Trace (uimodel) for the spans of one trace ID. */
export function toJaegerTrace(spans: readonly FlatSpan[]): Record<string, unknown> {
  const traceID = jaegerTraceId(spans[0]?.span.traceId ?? '');
  const processes: Record<string, unknown> = {};
  const keys = new Map<string, string>();
  const out = spans.map((f) => {
    const s = f.span;
    const process = { serviceName: f.service, tags: f.resource.filter((a) => a.key !== 'service.name').map((a) => jaegerTag(a.key, a.value)) };
    const pkey = JSON.stringify(process);
    if (!keys.has(pkey)) {
      keys.set(pkey, `p${keys.size + 1}`);
      processes[keys.get(pkey) as string] = process;
    }
    const tags: { key: string; type: string; value: unknown }[] = [];
    if (f.scope?.name) tags.push({ key: 'otel.scope.name', type: 'string', value: f.scope.name });
    if (f.scope?.version) tags.push({ key: 'otel.scope.version', type: 'string', value: f.scope.version });
    tags.push(...(s.attributes ?? []).map((a) => jaegerTag(a.key, a.value)));
    const kind = jaegerKinds[s.kind ?? 0];
    if (kind) tags.push({ key: 'span.kind', type: 'string', value: kind });
    if (s.status?.code === 2) tags.push({ key: 'otel.status_code', type: 'string', value: 'ERROR' }, { key: 'error', type: 'bool', value: true });
    if (s.status?.code === 1) tags.push({ key: 'otel.status_code', type: 'string', value: 'OK' });
    if (s.status?.message) tags.push({ key: 'otel.status_description', type: 'string', value: s.status.message });
    return {
      traceID,
      spanID: s.spanId,
      operationName: s.name,
      references: [
        ...(s.parentSpanId ? [{ refType: 'CHILD_OF', traceID, spanID: s.parentSpanId }] : []),
        ...(s.links ?? []).map((l) => ({ refType: 'FOLLOWS_FROM', traceID: jaegerTraceId(l.traceId), spanID: l.spanId })),
      ],
      startTime: micros(s.startTimeUnixNano),
      duration: Number((nsBig(s.endTimeUnixNano) - nsBig(s.startTimeUnixNano)) / 1000n),
      tags,
      logs: (s.events ?? []).map((e) => ({ timestamp: micros(e.timeUnixNano), fields: [{ key: 'event', type: 'string', value: e.name }, ...(e.attributes ?? []).map((a) => jaegerTag(a.key, a.value))] })),
      processID: keys.get(pkey),
      warnings: null,
    };
  });
  return { traceID, spans: out, processes, warnings: null };
}

/** The v1 envelope (`structuredResponse`). */
export const jaegerEnvelope = (data: unknown): Record<string, unknown> => ({ data, total: 0, limit: 0, offset: 0, errors: null });

function int64Strings(v: OtlpValue): OtlpValue {
  if (v.intValue !== undefined) return { intValue: String(v.intValue) };
  if (v.arrayValue) return { arrayValue: { values: (v.arrayValue.values ?? []).map(int64Strings) } };
  return v;
}
const attrs = (list: OtlpKeyValue[] | undefined): OtlpKeyValue[] => (list ?? []).map((a) => ({ key: a.key, value: int64Strings(a.value) }));

/** Jaeger v3 `{"result": TracesData}`: spec OTLP/JSON as ptrace's marshaler writes it (int64 as strings). */
export function toJaegerV3(spans: readonly FlatSpan[]): Record<string, unknown> {
  const doc = toOtlp(spans.map((f) => ({ ...f, resource: attrs(f.resource), span: { ...f.span, attributes: attrs(f.span.attributes), events: (f.span.events ?? []).map((e) => ({ ...e, attributes: attrs(e.attributes) })) } })));
  return { result: doc };
}

const b64 = (hex: string): string => Buffer.from(hex, 'hex').toString('base64');
const tempoKinds = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'];
const tempoCodes = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

/** Tempo's ResourceSpans list: base64 IDs, enum names, int64 as strings (gogo jsonpb on tempopb types). */
export function toTempoResourceSpans(spans: readonly FlatSpan[]): unknown[] {
  return toOtlp(spans).resourceSpans.map((rs) => ({
    resource: { attributes: attrs(rs.resource?.attributes) },
    scopeSpans: rs.scopeSpans.map((ss) => ({
      scope: ss.scope ?? {},
      spans: ss.spans.map((s) => ({
        traceId: b64(s.traceId),
        spanId: b64(s.spanId),
        ...(s.parentSpanId ? { parentSpanId: b64(s.parentSpanId) } : {}),
        name: s.name,
        kind: tempoKinds[s.kind ?? 0] ?? 'SPAN_KIND_UNSPECIFIED',
        startTimeUnixNano: String(s.startTimeUnixNano),
        endTimeUnixNano: String(s.endTimeUnixNano),
        attributes: attrs(s.attributes),
        ...(s.events?.length ? { events: s.events.map((e) => ({ timeUnixNano: String(e.timeUnixNano), name: e.name, attributes: attrs(e.attributes) })) } : {}),
        ...(s.links?.length ? { links: s.links.map((l) => ({ traceId: b64(l.traceId), spanId: b64(l.spanId), attributes: attrs(l.attributes) })) } : {}),
        status: s.status?.code ? { ...(s.status.message ? { message: s.status.message } : {}), code: tempoCodes[s.status.code] } : {},
      })),
    })),
  }));
}

const zipkinKinds: Record<number, string> = { 2: 'SERVER', 3: 'CLIENT', 4: 'PRODUCER', 5: 'CONSUMER' };
const plain = (v: OtlpValue): string => String(v.stringValue ?? v.boolValue ?? v.intValue ?? v.doubleValue ?? v.bytesValue ?? JSON.stringify(v));

/**
 * Zipkin v2 spans by the OTel Zipkin exporter's rules (all tag values strings, status → `otel.status_code` and
 * `error`, events → annotations carrying only the name, resource attributes as tags), for traces generated at test
 * time; the committed fixture is the real exporter's output.
 */
export function toZipkin(spans: readonly FlatSpan[]): Record<string, unknown>[] {
  return spans.map((f) => {
    const s = f.span;
    const tags: Record<string, string> = {};
    for (const a of s.attributes ?? []) tags[a.key] = plain(a.value);
    if (s.status?.code === 2) {
      tags['otel.status_code'] = 'ERROR';
      tags['error'] = s.status.message ?? '';
    }
    for (const a of f.resource) tags[a.key] = plain(a.value);
    const start = nsBig(s.startTimeUnixNano);
    return {
      traceId: s.traceId,
      ...(s.parentSpanId ? { parentId: s.parentSpanId } : {}),
      name: s.name,
      id: s.spanId,
      ...(zipkinKinds[s.kind ?? 0] ? { kind: zipkinKinds[s.kind ?? 0] } : {}),
      timestamp: Number(start) / 1000,
      duration: Math.round(Number(nsBig(s.endTimeUnixNano) - start) / 1000),
      localEndpoint: { serviceName: f.service },
      tags,
      ...(s.events?.length ? { annotations: s.events.map((e) => ({ timestamp: Number(nsBig(e.timeUnixNano)) / 1000, value: e.name })) } : {}),
    };
  });
}

/** Zipkin normalizes a 32-char trace ID with 16 leading zeros to 16 chars (Span.normalizeTraceId). */
export const zipkinTraceId = (id: string): string => (id.length === 32 && id.startsWith('0000000000000000') ? id.slice(16) : id);
