/**
 * Finding traces without an ID: "the slowest checkout traces of the last hour", and the service and operation names
 * to pick from. One function per question, one branch per backend kind; never throws for expected failures.
 *
 * Contracts, each checked in upstream source or docs with the project's search tool (2026):
 * - Jaeger v1 `GET /api/traces?service=&operation=&start=&end=&limit=&minDuration=` (µs, Go duration), envelope
 *   `{"data":[Trace…]}`; `/api/services`, `/api/services/{s}/operations` → `{"data":["…"]}` (http_handler.go).
 * - Jaeger v3 `GET /api/v3/traces?query.serviceName=&query.startTimeMin=&…` → `{"result":{"resourceSpans"}}`, 404
 *   `{"error":{"httpCode":404,"message":"No traces found"}}` when nothing matched; `/api/v3/services` →
 *   `{"services":[…]}`, `/api/v3/operations?service=` → `{"operations":[{"name","spanKind"}]}` (apiv3/http_gateway.go,
 *   apiv3/query_parser.go: camelCase canonical since 2026, snake_case `query.service_name` … still read; we send both).
 * - Tempo `GET /api/search?q=<TraceQL>&start=&end=&limit=` (Unix s) → `{"traces":[{traceID, rootServiceName,
 *   rootTraceName, startTimeUnixNano, durationMs, spanSets, serviceStats?}]}`; tag values v2
 *   `/api/v2/search/tag/<scope.tag>/values[?q=]` → `{"tagValues":[{"type","value"}]}` (tempo api_docs/_index.md).
 *   `minDuration` applies only to tag search, so TraceQL gets `traceDuration >= …` instead.
 * - Zipkin `GET /api/v2/traces?serviceName=&spanName=&minDuration=(µs)&endTs=(ms)&lookback=(ms)&limit=` → array of
 *   span arrays; `/api/v2/services`, `/api/v2/spans?serviceName=` → `["…"]` (ZipkinQueryApiV2.java).
 */
import type { RequestOptions } from '../http/request';
import type { Span, Trace } from '../traces/model';
import { readDocument } from '../traces/readTrace';
import { isObject, nsToUs, toNumber } from '../traces/readers/common';
import { normalizeHex } from '../traces/ids';
import type { Query } from './call';
import { getJson } from './call';
import type { BackendFailure } from './failures';
import type { BackendConfig } from './types';
import { rfc3339, unixMicros, unixSecondsCeil, unixSecondsFloor } from './window';

export interface TraceQuery {
  readonly service: string;
  readonly operation?: string | undefined;
  readonly start: Date;
  readonly end: Date;
  /** How many traces to ask for; default 20. */
  readonly limit?: number | undefined;
  readonly minDurationMs?: number | undefined;
}

export interface TraceSummary {
  /** 32 lower-case hex chars. */
  readonly traceId: string;
  readonly rootService: string;
  readonly rootName: string;
  readonly startUs: number;
  readonly durationUs: number;
  /**
   * Spans in the trace. Tempo reports it only when its search answer has `serviceStats` (newer Tempo); otherwise it is
   * the number of matched spans it listed, a lower bound.
   */
  readonly spanCount: number;
  /** Spans with error status (Tempo: from `serviceStats`, 0 when the server does not send them). */
  readonly errorCount: number;
}

export type SearchResult =
  | { readonly ok: true; readonly backend: string; readonly url: string; readonly results: readonly TraceSummary[]; readonly warnings: readonly string[]; readonly bytes: number; readonly ms: number }
  | { readonly ok: false; readonly backend: string; readonly error: BackendFailure };

export type NamesResult =
  | { readonly ok: true; readonly backend: string; readonly url: string; readonly names: readonly string[] }
  | { readonly ok: false; readonly backend: string; readonly error: BackendFailure };

export const defaultSearchLimit = 20;

/** Traces of `query.service` in the window, slowest first. */
export async function searchTraces(backend: BackendConfig, query: TraceQuery, options: RequestOptions = {}): Promise<SearchResult> {
  const fail = (error: BackendFailure): SearchResult => ({ ok: false, backend: backend.name, error });
  if (!(query.end.getTime() > query.start.getTime())) return fail({ kind: 'bad-request', message: `The search window must end after it starts (${query.start.toISOString()} – ${query.end.toISOString()}).` });
  const spec = searchSpec(backend, query);
  const what = `traces of service "${query.service}"${query.operation ? ` and operation "${query.operation}"` : ''}`;
  const call = await getJson(backend, spec.path, spec.query, options, what);
  if (!call.ok) {
    // Jaeger v3 answers an empty search with 404 "No traces found" (http_gateway.go returnTraces).
    if (backend.kind === 'jaeger-v3' && call.failure.status === 404 && call.res) {
      return { ok: true, backend: backend.name, url: call.res.url, results: [], warnings: [], bytes: call.res.bytes, ms: call.res.ms };
    }
    return fail(call.failure);
  }
  const { res, json } = call;
  const warnings: string[] = [];
  let results: TraceSummary[];
  if (backend.kind === 'tempo' || backend.kind === 'tempo-v2') {
    results = tempoSummaries(json, warnings);
  } else {
    const doc = backend.kind === 'zipkin' && Array.isArray(json) ? json.flat() : json;
    const read = doc === null || (isObject(doc) && doc['data'] === null) ? undefined : readDocument(doc, { otlpIdEncoding: 'hex' });
    if (read && !read.ok) return fail({ kind: 'unreadable', status: res.status, message: `${backend.name} (${res.url}) answered the search with JSON that is not a list of traces: ${read.error.message}` });
    results = read ? read.traces.map(summarize) : [];
    if (read) warnings.push(...read.warnings);
  }
  results.sort((a, b) => b.durationUs - a.durationUs || a.startUs - b.startUs);
  return { ok: true, backend: backend.name, url: res.url, results, warnings, bytes: res.bytes, ms: res.ms };
}

function searchSpec(backend: BackendConfig, q: TraceQuery): { path: string; query: Query } {
  const limit = q.limit ?? defaultSearchLimit;
  const minMs = q.minDurationMs !== undefined && q.minDurationMs > 0 ? q.minDurationMs : undefined;
  switch (backend.kind) {
    case 'jaeger':
      return { path: 'api/traces', query: { service: q.service, operation: q.operation, start: unixMicros(q.start), end: unixMicros(q.end), limit, minDuration: minMs !== undefined ? `${minMs}ms` : undefined } };
    case 'jaeger-v3': {
      const [min, max] = [rfc3339(q.start), rfc3339(q.end)];
      const duration = minMs !== undefined ? `${minMs}ms` : undefined;
      return {
        path: 'api/v3/traces',
        query: {
          'query.serviceName': q.service,
          'query.operationName': q.operation,
          'query.startTimeMin': min,
          'query.startTimeMax': max,
          'query.searchDepth': limit,
          'query.durationMin': duration,
          'query.service_name': q.service,
          'query.operation_name': q.operation,
          'query.start_time_min': min,
          'query.start_time_max': max,
          'query.num_traces': limit,
          'query.duration_min': duration,
        },
      };
    }
    case 'tempo':
    case 'tempo-v2':
      return { path: 'api/search', query: { q: traceQl(q.service, q.operation, minMs), start: unixSecondsFloor(q.start), end: unixSecondsCeil(q.end), limit } };
    case 'zipkin':
      return {
        path: 'api/v2/traces',
        query: {
          serviceName: q.service,
          spanName: q.operation,
          minDuration: minMs !== undefined ? minMs * 1000 : undefined,
          endTs: q.end.getTime(),
          lookback: q.end.getTime() - q.start.getTime(),
          limit,
        },
      };
  }
}

/** A TraceQL string literal: double quotes, with `\` and `"` escaped. */
export function traceQlString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** `{ resource.service.name = "x" && name = "y" && traceDuration >= 250ms }` */
export function traceQl(service: string, operation?: string, minDurationMs?: number): string {
  const parts = [`resource.service.name = ${traceQlString(service)}`];
  if (operation) parts.push(`name = ${traceQlString(operation)}`);
  if (minDurationMs !== undefined) parts.push(`traceDuration >= ${minDurationMs}ms`);
  return `{ ${parts.join(' && ')} }`;
}

/** Root, start, duration and counts of one normalized trace. */
export function summarize(t: Trace): TraceSummary {
  let root: Span | undefined;
  let start = Infinity;
  let end = -Infinity;
  let errors = 0;
  const ids = new Set(t.spans.map((s) => s.spanId));
  for (const s of t.spans) {
    start = Math.min(start, s.startUs);
    end = Math.max(end, s.startUs + s.durationUs);
    if (s.status.code === 'error') errors++;
    if (rootRank(s, ids) < rootRank(root, ids) || (root && rootRank(s, ids) === rootRank(root, ids) && s.startUs < root.startUs)) root = s;
  }
  return {
    traceId: t.traceId,
    rootService: root?.service ?? '',
    rootName: root?.name ?? '',
    startUs: Number.isFinite(start) ? start : 0,
    durationUs: Number.isFinite(end - start) ? end - start : 0,
    spanCount: t.spans.length,
    errorCount: errors,
  };
}

/** 0 for a true root, 1 for a span whose parent is missing, 2 otherwise (and 3 for none): the root is the lowest, earliest. */
function rootRank(s: Span | undefined, ids: ReadonlySet<string>): number {
  if (!s) return 3;
  if (s.parentSpanId === undefined) return 0;
  return ids.has(s.parentSpanId) ? 2 : 1;
}

/** Tempo's search answer → summaries. IDs may come back without leading zeros (so are left-padded). */
function tempoSummaries(json: unknown, warnings: string[]): TraceSummary[] {
  const list = isObject(json) && Array.isArray(json['traces']) ? json['traces'] : [];
  const out: TraceSummary[] = [];
  let noStats = 0;
  for (const t of list) {
    if (!isObject(t)) continue;
    const traceId = typeof t['traceID'] === 'string' ? normalizeHex(t['traceID'], 32) : undefined;
    if (!traceId) continue;
    const stats = isObject(t['serviceStats']) ? Object.values(t['serviceStats']).filter(isObject) : undefined;
    let spanCount = 0;
    let errorCount = 0;
    if (stats && stats.length > 0) {
      for (const s of stats) {
        spanCount += toNumber(s['spanCount']) ?? 0;
        errorCount += toNumber(s['errorCount']) ?? 0;
      }
    } else {
      noStats++;
      const sets = Array.isArray(t['spanSets']) ? t['spanSets'] : isObject(t['spanSet']) ? [t['spanSet']] : [];
      for (const set of sets) if (isObject(set)) spanCount = Math.max(spanCount, toNumber(set['matched']) ?? 0);
    }
    out.push({
      traceId,
      rootService: typeof t['rootServiceName'] === 'string' ? t['rootServiceName'] : '',
      rootName: typeof t['rootTraceName'] === 'string' ? t['rootTraceName'] : '',
      startUs: nsToUs(t['startTimeUnixNano']) ?? 0,
      // durationMs is omitted when 0 (proto3 JSON default).
      durationUs: (toNumber(t['durationMs']) ?? 0) * 1000,
      spanCount,
      errorCount,
    });
  }
  if (noStats > 0) warnings.push(`This Tempo does not report span and error counts in search results (no "serviceStats"); the counts shown are matched spans only.`);
  return out;
}

/** Service names known to `backend`, sorted. */
export async function listServices(backend: BackendConfig, options: RequestOptions = {}): Promise<NamesResult> {
  switch (backend.kind) {
    case 'jaeger':
      return names(backend, 'api/services', undefined, options, 'services', (j) => (isObject(j) ? j['data'] : undefined));
    case 'jaeger-v3':
      return names(backend, 'api/v3/services', undefined, options, 'services', (j) => (isObject(j) ? j['services'] : undefined));
    case 'tempo':
    case 'tempo-v2':
      return names(backend, 'api/v2/search/tag/resource.service.name/values', undefined, options, 'services', tempoTagValues);
    case 'zipkin':
      return names(backend, 'api/v2/services', undefined, options, 'services', (j) => j);
  }
}

/** Operation (span) names of `service`, sorted. */
export async function listOperations(backend: BackendConfig, service: string, options: RequestOptions = {}): Promise<NamesResult> {
  const what = `operations of service "${service}"`;
  switch (backend.kind) {
    case 'jaeger':
      return names(backend, `api/services/${encodeURIComponent(service)}/operations`, undefined, options, what, (j) => (isObject(j) ? j['data'] : undefined));
    case 'jaeger-v3':
      return names(backend, 'api/v3/operations', { service }, options, what, (j) =>
        isObject(j) && Array.isArray(j['operations']) ? j['operations'].map((o) => (isObject(o) ? o['name'] : undefined)) : undefined,
      );
    case 'tempo':
    case 'tempo-v2':
      return names(backend, 'api/v2/search/tag/name/values', { q: `{ resource.service.name = ${traceQlString(service)} }` }, options, what, tempoTagValues);
    case 'zipkin':
      return names(backend, 'api/v2/spans', { serviceName: service }, options, what, (j) => j);
  }
}

function tempoTagValues(j: unknown): unknown {
  if (!isObject(j) || !Array.isArray(j['tagValues'])) return undefined;
  return j['tagValues'].map((v) => (isObject(v) ? v['value'] : v));
}

async function names(backend: BackendConfig, path: string, query: Query | undefined, options: RequestOptions, what: string, pick: (json: unknown) => unknown): Promise<NamesResult> {
  const call = await getJson(backend, path, query, options, what);
  if (!call.ok) return { ok: false, backend: backend.name, error: call.failure };
  const list = pick(call.json);
  if (list !== null && list !== undefined && !Array.isArray(list)) {
    return { ok: false, backend: backend.name, error: { kind: 'unreadable', status: call.res.status, message: `${backend.name} (${call.res.url}) answered with JSON that is not a list of ${what}.` } };
  }
  const found = [...new Set((list ?? []).filter((n): n is string => typeof n === 'string' && n !== ''))].sort((a, b) => a.localeCompare(b));
  return { ok: true, backend: backend.name, url: call.res.url, names: found };
}
