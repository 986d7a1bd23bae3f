/**
 * Where each backend keeps one trace, and how to tell an empty answer from a trace: shared by `fetchTrace` (CLI, parses
 * in place) and `fetchTraceBody` (extension, parses in its worker). Contracts: ../shared/reference/trace-apis.md §0–3.
 */
import { normalizeHex } from '../traces/ids';
import { isObject } from '../traces/readers/common';
import type { Query } from './call';
import type { BackendConfig } from './types';
import type { TimeWindow } from './window';
import { rfc3339, unixMicros, unixSecondsCeil, unixSecondsFloor } from './window';

export interface TraceEndpoint {
  readonly path: string;
  readonly query?: Query | undefined;
  /** How IDs in the body are encoded (trace-apis.md §0 rule 2): Tempo base64, everything else hex. */
  readonly idEncoding: 'hex' | 'base64';
}

/** 32 lower-case hex chars of a trace ID given as 1–32 hex chars (a 16-char ID is left-padded); undefined if not hex. */
export function canonicalTraceId(raw: string): string | undefined {
  const id = normalizeHex(raw.trim(), 32);
  return id === undefined || /^0+$/.test(id) ? undefined : id;
}

/** Route and parameters for one backend kind (trace-apis.md §0 table). */
export function traceEndpoint(backend: BackendConfig, id: string, window: TimeWindow | undefined): TraceEndpoint {
  const enc = encodeURIComponent(id);
  switch (backend.kind) {
    case 'jaeger':
      // GET /api/traces/{id}?start=&end= (µs) — jaeger http_handler.go / query_parser.go.
      return { path: `api/traces/${enc}`, query: window ? { start: unixMicros(window.start), end: unixMicros(window.end) } : undefined, idEncoding: 'hex' };
    case 'jaeger-v3':
      // GET /api/v3/traces/{id}?startTime=&endTime= (RFC3339Nano). Checked upstream (apiv3/query_parser.go, 2026):
      // camelCase is canonical, snake_case `start_time`/`end_time` is what servers before the rename read (1.50–2.x
      // http_gateway.go). Both are sent: a new server takes the canonical one and records no deprecation.
      return {
        path: `api/v3/traces/${enc}`,
        query: window ? { startTime: rfc3339(window.start), endTime: rfc3339(window.end), start_time: rfc3339(window.start), end_time: rfc3339(window.end) } : undefined,
        idEncoding: 'hex',
      };
    case 'tempo':
    case 'tempo-v2':
      // GET /api/traces/{id} or /api/v2/traces/{id} ?start=&end= (Unix seconds) — tempo api_docs/_index.md "Query", "Query V2".
      return {
        path: `${backend.kind === 'tempo' ? 'api/traces' : 'api/v2/traces'}/${enc}`,
        query: window ? { start: unixSecondsFloor(window.start), end: unixSecondsCeil(window.end) } : undefined,
        idEncoding: 'base64',
      };
    case 'zipkin':
      // GET /api/v2/trace/{id}: lower-case hex only (Zipkin answers 400 "… should be lower-hex encoded with no prefix"
      // to upper case); no window parameter — ZipkinQueryApiV2.java.
      return { path: `api/v2/trace/${enc}`, idEncoding: 'hex' };
  }
}

/** Tempo v2 `{"status":"PARTIAL","message":…}` (trace_by_id_v2.go): the message, or a default when Tempo gave none. */
export function tempoPartial(backend: BackendConfig, json: unknown): string | undefined {
  if (backend.kind !== 'tempo-v2' || !isObject(json) || json['status'] !== 'PARTIAL') return undefined;
  const message = json['message'];
  return typeof message === 'string' && message.trim() !== '' ? message : 'Tempo returned only part of this trace (status PARTIAL).';
}

/**
 * True when a 200 answer holds no spans: Jaeger v1 `{"data":[]}`/`null`, Jaeger v3 `{"result":{}}`, Tempo `{}` /
 * `{"batches":[]}` / `{"trace":{}}`, Zipkin `[]`. These are "not found", not unreadable.
 */
export function isEmptyTrace(json: unknown): boolean {
  if (Array.isArray(json)) return json.length === 0;
  if (!isObject(json)) return false;
  if ('data' in json) {
    const data = json['data'];
    if (data === null) return true;
    if (Array.isArray(data)) return data.every((t) => !isObject(t) || !Array.isArray(t['spans']) || t['spans'].length === 0);
    return false;
  }
  for (const holder of [json, json['trace'], json['result']]) {
    if (!isObject(holder)) continue;
    const rs = holder['resourceSpans'] ?? holder['batches'];
    if (Array.isArray(rs)) return rs.length === 0;
  }
  // No span list under any known key: `{}`, `{"trace":{}}`, `{"result":{}}`, or only metrics/status.
  const keys = Object.keys(json);
  return keys.every((k) => k === 'trace' || k === 'result' || k === 'metrics' || k === 'status' || k === 'message');
}
