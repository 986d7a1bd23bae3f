/**
 * OTLP/JSON (`{"resourceSpans":[…]}`), plus the wrappers backends put around it: Tempo v1 `batches`, Tempo v2
 * `trace`, Jaeger v3 `result`; old `instrumentationLibrarySpans`. IDs hex (files, Jaeger v3) or base64 (Tempo);
 * enums as integers or names; int64 as string or number (trace-apis.md §0 rules 2, 4, 5).
 */
import type { AttrValue, Attribute, Span, SpanEvent, SpanKind, SpanLink, StatusCode } from '../model';
import { decodeId } from '../ids';
import type { Warnings} from './common';
import { keepRare } from './shapes';
import { int64, isObject, nsDurationUs, nsToUs, str, toNumber } from './common';

export type IdEncoding = 'hex' | 'base64' | 'auto';

const kindsByNumber: readonly SpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const statusByNumber: readonly StatusCode[] = ['unset', 'ok', 'error'];

/** Finds the ResourceSpans list in any of the accepted envelopes; undefined when this is not OTLP. */
export function otlpResourceSpans(doc: unknown): unknown[] | undefined {
  if (!isObject(doc)) return undefined;
  for (const holder of [doc, doc['trace'], doc['result']]) {
    if (!isObject(holder)) continue;
    const rs = holder['resourceSpans'] ?? holder['batches'];
    if (Array.isArray(rs)) return rs;
  }
  return undefined;
}

/** Reads spans from one OTLP TracesData document (or wrapper). */
export function readOtlpSpans(resourceSpans: readonly unknown[], warnings: Warnings, idEncoding: IdEncoding = 'auto'): Span[] {
  const spans: Span[] = [];
  const traceIds: TraceIdCache = { raw: '', id: '' };
  for (const rs of resourceSpans) {
    if (!isObject(rs)) continue;
    const resource = isObject(rs['resource']) ? readAttributes(rs['resource']['attributes']) : [];
    const serviceAttr = resource.find((a) => a.key === 'service.name')?.value;
    const service = typeof serviceAttr === 'string' && serviceAttr !== '' ? serviceAttr : 'unknown_service';
    const scopeLists = rs['scopeSpans'] ?? rs['instrumentationLibrarySpans'];
    if (!Array.isArray(scopeLists)) continue;
    for (const ss of scopeLists) {
      if (!isObject(ss)) continue;
      const scopeRaw = ss['scope'] ?? ss['instrumentationLibrary'];
      const scopeName = isObject(scopeRaw) ? str(scopeRaw['name']) : undefined;
      const scope = scopeName ? { name: scopeName, version: isObject(scopeRaw) ? str(scopeRaw['version']) : undefined } : undefined;
      const list = ss['spans'];
      if (!Array.isArray(list)) continue;
      for (const raw of list) {
        const span = readSpan(raw, service, resource, scope, warnings, idEncoding, traceIds);
        if (span) spans.push(span);
      }
    }
  }
  return spans;
}

function readSpan(
  raw: unknown,
  service: string,
  resource: readonly Attribute[],
  scope: Span['scope'],
  warnings: Warnings,
  enc: IdEncoding,
  traceIds: TraceIdCache,
): Span | undefined {
  if (!isObject(raw)) return undefined;
  const traceId = decodeTraceId(raw['traceId'], enc, traceIds);
  const spanId = decodeId(raw['spanId'], 16, enc);
  const name = str(raw['name']) ?? '';
  if (!traceId || !spanId) {
    warnings.add('bad-id', `Skipped span "${name}": its ${traceId ? 'spanId' : 'traceId'} ${JSON.stringify(raw[traceId ? 'spanId' : 'traceId']) ?? 'is missing'} is not a valid ID.`);
    return undefined;
  }
  const parentRaw = raw['parentSpanId'];
  const parentSpanId = typeof parentRaw === 'string' && parentRaw !== '' ? decodeId(parentRaw, 16, enc) : undefined;
  if (typeof parentRaw === 'string' && parentRaw !== '' && !parentSpanId) warnings.add('bad-parent', `Span "${name}" has an unreadable parentSpanId ${JSON.stringify(parentRaw)}; shown as a root.`);
  const startUs = nsToUs(raw['startTimeUnixNano']);
  if (startUs === undefined) {
    warnings.add('bad-time', `Skipped span "${name}" (${spanId}): startTimeUnixNano ${JSON.stringify(raw['startTimeUnixNano'])} is not a time.`);
    return undefined;
  }
  let durationUs = nsDurationUs(raw['startTimeUnixNano'], raw['endTimeUnixNano']) ?? 0;
  if (durationUs < 0) {
    warnings.add('negative-duration', `Span "${name}" (${spanId}) ends before it starts; its duration is shown as 0.`);
    durationUs = 0;
  }
  const statusRaw = isObject(raw['status']) ? raw['status'] : {};
  return {
    traceId,
    spanId,
    parentSpanId: parentSpanId && parentSpanId !== '0000000000000000' ? parentSpanId : undefined,
    name,
    service,
    kind: readKind(raw['kind']),
    startUs,
    durationUs,
    status: readSpanStatus(statusRaw),
    attributes: readAttributes(raw['attributes']),
    resource,
    scope,
    events: readEvents(raw['events']),
    links: readLinks(raw['links'], enc),
  };
}

/**
 * The last trace ID read, raw and decoded. The spans of a document nearly all share one trace ID: comparing with the
 * last raw text is cheaper than decoding it again, and every span then holds the same string, so grouping by trace
 * compares pointers and a 100k-span file keeps one copy of the ID instead of 100k.
 */
interface TraceIdCache {
  raw: string;
  id: string;
}

function decodeTraceId(raw: unknown, enc: IdEncoding, cache: TraceIdCache): string | undefined {
  if (typeof raw === 'string' && raw === cache.raw && cache.id !== '') return cache.id;
  const id = decodeId(raw, 32, enc);
  if (id !== undefined && typeof raw === 'string') {
    cache.raw = raw;
    cache.id = id;
  }
  return id;
}

function readKind(v: unknown): SpanKind {
  if (typeof v === 'number') return kindsByNumber[v] ?? 'unspecified';
  if (typeof v === 'string') {
    const k = v.replace(/^SPAN_KIND_/, '').toLowerCase();
    return (kindsByNumber as readonly string[]).includes(k) ? (k as SpanKind) : 'unspecified';
  }
  return 'unspecified';
}

/** The statuses without a message, shared: nearly every span has one, and each need not be its own object. */
const plainStatus: Readonly<Record<StatusCode, Span['status']>> = {
  unset: Object.freeze({ code: 'unset' }),
  ok: Object.freeze({ code: 'ok' }),
  error: Object.freeze({ code: 'error' }),
};

function readSpanStatus(raw: Record<string, unknown>): Span['status'] {
  const code = readStatus(raw['code']);
  const message = str(raw['message']);
  return message ? { code, message } : plainStatus[code];
}

function readStatus(v: unknown): StatusCode {
  if (typeof v === 'number') return statusByNumber[v] ?? 'unset';
  if (typeof v === 'string') {
    const k = v.replace(/^STATUS_CODE_/, '').toLowerCase();
    return k === 'ok' || k === 'error' ? k : 'unset';
  }
  return 'unset';
}

/** Shared by every span without events, links or attributes: most spans have no events, and a 100k-span file need not allocate 100k empty arrays. */
const none: readonly never[] = Object.freeze([]);

function readEvents(v: unknown): readonly SpanEvent[] {
  if (!Array.isArray(v) || v.length === 0) return none;
  keepRare(v);
  const out: SpanEvent[] = [];
  for (const e of v) {
    if (!isObject(e)) continue;
    out.push({ name: str(e['name']) ?? '', timeUs: nsToUs(e['timeUnixNano']) ?? 0, attributes: readAttributes(e['attributes']) });
  }
  return out;
}

function readLinks(v: unknown, enc: IdEncoding): readonly SpanLink[] {
  if (!Array.isArray(v) || v.length === 0) return none;
  const out: SpanLink[] = [];
  for (const l of v) {
    if (!isObject(l)) continue;
    const traceId = decodeId(l['traceId'], 32, enc);
    const spanId = decodeId(l['spanId'], 16, enc);
    if (traceId && spanId) out.push({ traceId, spanId, attributes: readAttributes(l['attributes']) });
  }
  return out;
}

/** OTLP KeyValue list → attributes. */
export function readAttributes(v: unknown): Attribute[] {
  if (!Array.isArray(v) || v.length === 0) return none as unknown as Attribute[];
  const out: Attribute[] = [];
  for (const kv of v) {
    if (!isObject(kv) || typeof kv['key'] !== 'string') continue;
    out.push({ key: kv['key'], value: readAnyValue(kv['value'], 0) });
  }
  return out;
}

/** OTLP AnyValue → plain value; bytes stay base64 text. Depth-limited against hostile nesting. */
export function readAnyValue(v: unknown, depth: number): AttrValue {
  if (!isObject(v) || depth > 16) return null;
  if ('stringValue' in v) return typeof v['stringValue'] === 'string' ? v['stringValue'] : String(v['stringValue']);
  if ('boolValue' in v) return v['boolValue'] === true || v['boolValue'] === 'true';
  if ('intValue' in v) return int64(v['intValue']);
  if ('doubleValue' in v) return toNumber(v['doubleValue']) ?? String(v['doubleValue']);
  if ('bytesValue' in v) return str(v['bytesValue']) ?? null;
  if ('arrayValue' in v) {
    const values = isObject(v['arrayValue']) ? v['arrayValue']['values'] : undefined;
    return Array.isArray(values) ? values.map((x) => readAnyValue(x, depth + 1)) : [];
  }
  if ('kvlistValue' in v) {
    const values = isObject(v['kvlistValue']) ? v['kvlistValue']['values'] : undefined;
    const out: { [k: string]: AttrValue } = {};
    if (Array.isArray(values)) for (const kv of values) if (isObject(kv) && typeof kv['key'] === 'string') out[kv['key']] = readAnyValue(kv['value'], depth + 1);
    return out;
  }
  return null;
}
