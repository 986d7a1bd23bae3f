/**
 * Zipkin v2 JSON: an array of spans (trace-apis.md §3). µs times, lower-hex IDs (16 or 32), string tags,
 * annotations as events, `error` tag or `otel.status_code=ERROR` for failures.
 */
import type { Span, SpanKind } from '../model';
import { decodeId } from '../ids';
import type { Warnings} from './common';
import { attrsFromRecord, isObject, str, toNumber } from './common';

/** True when `doc` looks like a Zipkin v2 span array. */
export function isZipkinArray(doc: unknown): doc is unknown[] {
  if (!Array.isArray(doc)) return false;
  const first = doc[0];
  return first === undefined || (isObject(first) && 'traceId' in first && 'id' in first);
}

const kinds: Record<string, SpanKind> = { CLIENT: 'client', SERVER: 'server', PRODUCER: 'producer', CONSUMER: 'consumer' };
const skipTags: ReadonlySet<string> = new Set();

export function readZipkinSpans(doc: readonly unknown[], warnings: Warnings): Span[] {
  const spans: Span[] = [];
  for (const raw of doc) {
    if (!isObject(raw)) continue;
    const name = str(raw['name']) ?? '';
    const traceId = decodeId(raw['traceId'], 32, 'hex');
    const spanId = decodeId(raw['id'], 16, 'hex');
    if (!traceId || !spanId) {
      warnings.add('bad-id', `Skipped span "${name}": traceId/id ${JSON.stringify(traceId ? raw['id'] : raw['traceId']) ?? 'missing'} is not hex.`);
      continue;
    }
    const startUs = toNumber(raw['timestamp']);
    if (startUs === undefined) {
      warnings.add('bad-time', `Skipped span "${name}" (${spanId}): it has no timestamp.`);
      continue;
    }
    const tags = isObject(raw['tags']) ? raw['tags'] : {};
    const local = isObject(raw['localEndpoint']) ? raw['localEndpoint'] : {};
    const remote = isObject(raw['remoteEndpoint']) ? raw['remoteEndpoint'] : undefined;
    const errorTag = str(tags['error']);
    const statusTag = str(tags['otel.status_code']);
    const isError = errorTag !== undefined || statusTag === 'ERROR';
    const attributes = attrsFromRecord(tags, skipTags);
    if (remote) for (const [k, v] of Object.entries(remote)) attributes.push({ key: `zipkin.remoteEndpoint.${k}`, value: typeof v === 'string' || typeof v === 'number' ? v : String(v) });
    if (raw['shared'] === true) attributes.push({ key: 'zipkin.shared', value: true });
    const parent = decodeId(raw['parentId'], 16, 'hex');
    spans.push({
      traceId,
      spanId,
      parentSpanId: parent && parent !== spanId ? parent : undefined,
      name,
      service: str(local['serviceName']) || 'unknown_service',
      kind: kinds[str(raw['kind']) ?? ''] ?? 'unspecified',
      startUs,
      durationUs: Math.max(0, toNumber(raw['duration']) ?? 0),
      status: { code: isError ? 'error' : statusTag === 'OK' ? 'ok' : 'unset', message: errorTag && errorTag !== 'true' ? errorTag : undefined },
      attributes,
      resource: attrsFromRecord(local),
      scope: undefined,
      events: Array.isArray(raw['annotations'])
        ? raw['annotations'].filter(isObject).map((a) => ({ name: str(a['value']) ?? '', timeUs: toNumber(a['timestamp']) ?? startUs, attributes: [] }))
        : [],
      links: [],
    });
  }
  return spans;
}
