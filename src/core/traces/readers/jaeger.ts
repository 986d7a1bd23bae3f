/**
 * Jaeger UI JSON, the "Download JSON" format and the body of Jaeger's `/api/traces/{id}`:
 * `{"data":[{traceID, spans, processes, warnings}], …}` (trace-apis.md §1.1). µs times, typed tags, logs with
 * an `event` field, parent = first CHILD_OF reference.
 */
import type { AttrValue, Attribute, Span, SpanEvent, SpanKind, SpanLink, StatusCode } from '../model';
import { decodeId } from '../ids';
import type { Warnings} from './common';
import { int64, isObject, str, toNumber } from './common';

/** The `data` list when `doc` is Jaeger UI JSON, else undefined. */
export function jaegerTraces(doc: unknown): unknown[] | undefined {
  if (!isObject(doc) || !Array.isArray(doc['data'])) return undefined;
  const first = doc['data'][0];
  if (first !== undefined && !(isObject(first) && Array.isArray(first['spans']))) return undefined;
  return doc['data'];
}

const kinds: ReadonlySet<string> = new Set(['internal', 'server', 'client', 'producer', 'consumer']);

export function readJaegerSpans(traces: readonly unknown[], warnings: Warnings): Span[] {
  const spans: Span[] = [];
  for (const t of traces) {
    if (!isObject(t) || !Array.isArray(t['spans'])) continue;
    const processes = isObject(t['processes']) ? t['processes'] : {};
    for (const raw of t['spans']) {
      if (!isObject(raw)) continue;
      const span = readSpan(raw, processes, warnings);
      if (span) spans.push(span);
    }
  }
  return spans;
}

function readSpan(raw: Record<string, unknown>, processes: Record<string, unknown>, warnings: Warnings): Span | undefined {
  const name = str(raw['operationName']) ?? '';
  const traceId = decodeId(raw['traceID'], 32, 'hex');
  const spanId = decodeId(raw['spanID'], 16, 'hex');
  if (!traceId || !spanId) {
    warnings.add('bad-id', `Skipped span "${name}": traceID/spanID ${JSON.stringify(traceId ? raw['spanID'] : raw['traceID']) ?? 'missing'} is not hex.`);
    return undefined;
  }
  const startUs = toNumber(raw['startTime']);
  if (startUs === undefined) {
    warnings.add('bad-time', `Skipped span "${name}" (${spanId}): startTime ${JSON.stringify(raw['startTime'])} is not a number of microseconds.`);
    return undefined;
  }
  const durationUs = Math.max(0, toNumber(raw['duration']) ?? 0);
  const refs = Array.isArray(raw['references']) ? raw['references'].filter(isObject) : [];
  const childOf = refs.find((r) => r['refType'] === 'CHILD_OF' && decodeId(r['traceID'], 32, 'hex') === traceId);
  const parentRef = childOf ?? refs.find((r) => r['refType'] === 'FOLLOWS_FROM' && decodeId(r['traceID'], 32, 'hex') === traceId);
  const parentSpanId = parentRef ? decodeId(parentRef['spanID'], 16, 'hex') : decodeId(raw['parentSpanID'], 16, 'hex');
  const links: SpanLink[] = [];
  for (const r of refs) {
    if (r === parentRef) continue;
    const lt = decodeId(r['traceID'], 32, 'hex');
    const ls = decodeId(r['spanID'], 16, 'hex');
    if (lt && ls) links.push({ traceId: lt, spanId: ls, attributes: [{ key: 'refType', value: str(r['refType']) ?? '' }] });
  }

  const tags = readTags(raw['tags']);
  const process = isObject(raw['processID'] !== undefined ? processes[String(raw['processID'])] : undefined) ? (processes[String(raw['processID'])] as Record<string, unknown>) : isObject(raw['process']) ? raw['process'] : {};
  const service = str(process['serviceName']) || 'unknown_service';
  const resource: Attribute[] = [{ key: 'service.name', value: service }, ...readTags(process['tags'])];

  const kindTag = tags.find((a) => a.key === 'span.kind')?.value;
  const kind: SpanKind = typeof kindTag === 'string' && kinds.has(kindTag) ? (kindTag as SpanKind) : 'unspecified';
  const statusTag = tags.find((a) => a.key === 'otel.status_code')?.value;
  const errorTag = tags.find((a) => a.key === 'error')?.value;
  const code: StatusCode = statusTag === 'ERROR' || errorTag === true || errorTag === 'true' ? 'error' : statusTag === 'OK' ? 'ok' : 'unset';
  const message = str(tags.find((a) => a.key === 'otel.status_description')?.value);
  const scopeName = str(tags.find((a) => a.key === 'otel.scope.name' || a.key === 'otel.library.name')?.value);
  const scopeVersion = str(tags.find((a) => a.key === 'otel.scope.version' || a.key === 'otel.library.version')?.value);

  return {
    traceId,
    spanId,
    parentSpanId: parentSpanId && parentSpanId !== spanId ? parentSpanId : undefined,
    name,
    service,
    kind,
    startUs,
    durationUs,
    status: { code, message },
    attributes: tags,
    resource,
    scope: scopeName ? { name: scopeName, version: scopeVersion } : undefined,
    events: readLogs(raw['logs']),
    links,
  };
}

function readTags(v: unknown): Attribute[] {
  if (!Array.isArray(v)) return [];
  const out: Attribute[] = [];
  for (const t of v) {
    if (!isObject(t) || typeof t['key'] !== 'string') continue;
    out.push({ key: t['key'], value: tagValue(t['type'], t['value']) });
  }
  return out;
}

function tagValue(type: unknown, value: unknown): AttrValue {
  switch (type) {
    case 'int64':
      return int64(value);
    case 'float64':
      return toNumber(value) ?? String(value);
    case 'bool':
      return value === true || value === 'true';
    default:
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : JSON.stringify(value) ?? null;
  }
}

function readLogs(v: unknown): SpanEvent[] {
  if (!Array.isArray(v)) return [];
  const out: SpanEvent[] = [];
  for (const l of v) {
    if (!isObject(l)) continue;
    const fields = readTags(l['fields']);
    const eventField = fields.find((f) => f.key === 'event');
    out.push({
      name: typeof eventField?.value === 'string' ? eventField.value : 'log',
      timeUs: toNumber(l['timestamp']) ?? 0,
      attributes: fields.filter((f) => f !== eventField),
    });
  }
  return out;
}
