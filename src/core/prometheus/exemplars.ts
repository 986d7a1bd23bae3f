/**
 * Prometheus exemplars → trace IDs. `GET|POST /api/v1/query_exemplars` answers with the exemplars of the series
 * selectors inside any PromQL expression; each exemplar's labels may carry a trace ID (under a name that differs per
 * instrumentation: `trace_id`, `traceID`, …). Facts: ../shared/reference/trace-apis.md §5.1 and §7.2.
 *
 * Pure (no `vscode`): used by the "Open Trace from Exemplar" command and the CLI. Never throws: errors come back as
 * `{ok: false, error}` with a message for the user.
 */
import type { HttpResponse, RequestOptions } from '../http/request';
import { HttpError, joinUrl, looksLikeHtml, redactUrl, request, snippet } from '../http/request';
import type { HttpErrorKind } from '../http/request';
import { defaultTraceIdLabels, normalizeHex } from '../traces/ids';

export interface Exemplar {
  /** Canonical trace ID: 32 lower-case hex characters. */
  readonly traceId: string;
  /** Canonical span ID (16 lower-case hex) when the exemplar carries one. */
  readonly spanId?: string;
  /** The observed value (for a `_seconds` histogram: the request's duration in seconds). */
  readonly value: number;
  /** When it was observed, ms since the epoch. */
  readonly timestampMs: number;
  /** The labels of the series the exemplar belongs to, including `__name__`. */
  readonly seriesLabels: Readonly<Record<string, string>>;
  /** The exemplar's own labels (trace and span ID, anything else the client added). */
  readonly labels: Readonly<Record<string, string>>;
}

export type ExemplarErrorKind =
  /** Prometheus rejected the request (HTTP 400 `bad_data`, 422 `execution`): the message is its `error`, verbatim. */
  | 'bad-query'
  /** 401/403. */
  | 'unauthorized'
  /** 404: no Prometheus API at that URL. */
  | 'not-found'
  /** 5xx. */
  | 'server'
  /** An HTML page (login, proxy error) or a JSON answer that is not the Prometheus API's. */
  | 'not-prometheus'
  | HttpErrorKind;

export interface ExemplarError {
  readonly kind: ExemplarErrorKind;
  readonly message: string;
  readonly status?: number;
}

export type ExemplarResult =
  | {
      readonly ok: true;
      /** Exemplars with a trace ID, highest value first (ties: most recent first). */
      readonly exemplars: readonly Exemplar[];
      /** Series that had at least one exemplar. */
      readonly seriesCount: number;
      /** Exemplars skipped because none of the trace-ID labels held a valid trace ID. */
      readonly withoutTraceId: number;
    }
  | { readonly ok: false; readonly error: ExemplarError };

export interface ExemplarQueryOptions extends Omit<RequestOptions, 'method' | 'form'> {
  /** Exemplar label names that carry the trace ID, in order of preference. Default trace_id, traceID, traceId, TraceID. */
  readonly traceIdLabels?: readonly string[];
  /** Exemplar label names that carry the span ID. Default span_id, spanID, spanId, SpanID. */
  readonly spanIdLabels?: readonly string[];
}

export const defaultSpanIdLabels: readonly string[] = ['span_id', 'spanID', 'spanId', 'SpanID'];

/** Queries longer than this go as a POST form, so no proxy or server refuses a long URL. */
export const maxGetQueryLength = 1500;

/** Prometheus accepts unix seconds with a fraction. */
function unixSeconds(d: Date): string {
  return (d.getTime() / 1000).toFixed(3);
}

/**
 * The exemplars of the series selected by `query` between `range.start` and `range.end`, with a trace ID each, highest
 * value first. An end before the start is passed on (Prometheus answers with its own bad_data message).
 */
export async function queryExemplars(baseUrl: string, query: string, range: { readonly start: Date; readonly end: Date }, options: ExemplarQueryOptions = {}): Promise<ExemplarResult> {
  const { traceIdLabels = defaultTraceIdLabels, spanIdLabels = defaultSpanIdLabels, ...http } = options;
  const params = { query, start: unixSeconds(range.start), end: unixSeconds(range.end) };
  let res: HttpResponse;
  try {
    const long = query.length > maxGetQueryLength;
    const url = long ? joinUrl(baseUrl, 'api/v1/query_exemplars') : joinUrl(baseUrl, 'api/v1/query_exemplars', params);
    res = await request(url, long ? { ...http, method: 'POST', form: params } : { ...http, method: 'GET' });
  } catch (e) {
    return { ok: false, error: fromThrown(e, baseUrl) };
  }
  const parsed = apiData(res);
  if (!parsed.ok) return parsed;
  if (!Array.isArray(parsed.data)) return { ok: false, error: notPrometheus(res, '"data" is not a list of series') };

  const exemplars: Exemplar[] = [];
  let seriesCount = 0;
  let withoutTraceId = 0;
  for (const entry of parsed.data as unknown[]) {
    if (!isObject(entry)) continue;
    const seriesLabels = stringRecord(entry['seriesLabels']);
    const list = Array.isArray(entry['exemplars']) ? (entry['exemplars'] as unknown[]) : [];
    if (list.length > 0) seriesCount++;
    for (const raw of list) {
      if (!isObject(raw)) continue;
      const labels = stringRecord(raw['labels']);
      const traceId = firstId(labels, traceIdLabels, 32);
      const value = typeof raw['value'] === 'number' ? raw['value'] : Number(raw['value']);
      const ts = typeof raw['timestamp'] === 'number' ? raw['timestamp'] : Number(raw['timestamp']);
      if (traceId === undefined || !Number.isFinite(value) || !Number.isFinite(ts)) {
        withoutTraceId++;
        continue;
      }
      const spanId = firstId(labels, spanIdLabels, 16);
      exemplars.push({ traceId, ...(spanId !== undefined ? { spanId } : {}), value, timestampMs: Math.round(ts * 1000), seriesLabels, labels });
    }
  }
  exemplars.sort((a, b) => b.value - a.value || b.timestampMs - a.timestampMs);
  return { ok: true, exemplars, seriesCount, withoutTraceId };
}

/**
 * Whether the server stores exemplars: `/api/v1/status/flags` → `enable-feature` contains `exemplar-storage`.
 * Undefined when that cannot be told (the endpoint is missing, e.g. on Thanos or Mimir, or the request failed).
 */
export async function exemplarStorageEnabled(baseUrl: string, options: Omit<RequestOptions, 'method' | 'form'> = {}): Promise<boolean | undefined> {
  try {
    const res = await request(joinUrl(baseUrl, 'api/v1/status/flags'), { ...options, method: 'GET' });
    const parsed = apiData(res);
    if (!parsed.ok || !isObject(parsed.data)) return undefined;
    const features = parsed.data['enable-feature'];
    if (typeof features !== 'string') return features === undefined ? false : undefined;
    return features.split(',').some((f) => f.trim() === 'exemplar-storage');
  } catch {
    return undefined;
  }
}

/** The first label (in order of preference) whose value is a valid, non-zero hex ID, normalized. */
function firstId(labels: Readonly<Record<string, string>>, names: readonly string[], chars: 16 | 32): string | undefined {
  for (const name of names) {
    const raw = labels[name];
    if (raw === undefined) continue;
    const id = normalizeHex(raw.trim(), chars);
    if (id !== undefined && !/^0+$/.test(id)) return id;
  }
  return undefined;
}

/** The `data` of a Prometheus API answer, or the error it stands for. */
function apiData(res: HttpResponse): { ok: true; data: unknown } | { ok: false; error: ExemplarError } {
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    body = undefined;
  }
  const status = res.status;
  // The Prometheus API's own error (400 bad_data, 422 execution, 503 timeout, …): its text, verbatim.
  if (isObject(body) && body['status'] === 'error' && typeof body['error'] === 'string') {
    const kind: ExemplarErrorKind = status === 401 || status === 403 ? 'unauthorized' : status >= 500 ? 'server' : 'bad-query';
    return { ok: false, error: { kind, message: body['error'], status } };
  }
  if (status === 401 || status === 403) {
    return { ok: false, error: { kind: 'unauthorized', status, message: `${res.url} refused the request (HTTP ${status}${res.statusText ? ` ${res.statusText}` : ''}): check the credentials or the proxy in front of Prometheus.` } };
  }
  if (status === 404) {
    return { ok: false, error: { kind: 'not-found', status, message: `There is no Prometheus API at ${res.url} (HTTP 404). Check the URL: it should be the Prometheus base URL, e.g. http://localhost:9090.` } };
  }
  if (status >= 500) {
    const text = res.body.trim() === '' ? '' : `: "${snippet(res.body, 200)}"`;
    return { ok: false, error: { kind: 'server', status, message: `Prometheus at ${res.url} failed with HTTP ${status}${res.statusText ? ` ${res.statusText}` : ''}${text}.` } };
  }
  if (looksLikeHtml(res)) {
    return { ok: false, error: { kind: 'not-prometheus', status, message: `${res.url} answered with an HTML page (HTTP ${status}) instead of the Prometheus API — often a login or proxy page. Check the URL and the credentials.` } };
  }
  if (status < 200 || status >= 300) {
    return { ok: false, error: { kind: status === 400 || status === 422 ? 'bad-query' : 'server', status, message: `${res.url} answered HTTP ${status}: "${snippet(res.body, 200)}".` } };
  }
  if (!isObject(body) || body['status'] !== 'success' || !('data' in body)) return { ok: false, error: notPrometheus(res, 'no {"status":"success","data":…}') };
  return { ok: true, data: body['data'] };
}

function notPrometheus(res: HttpResponse, why: string): ExemplarError {
  return { kind: 'not-prometheus', status: res.status, message: `${res.url} did not answer like the Prometheus API (${why}): "${snippet(res.body, 120)}".` };
}

function fromThrown(e: unknown, baseUrl: string): ExemplarError {
  if (e instanceof HttpError) return { kind: e.kind, message: e.message, ...(e.status !== undefined ? { status: e.status } : {}) };
  // joinUrl throws a TypeError for a URL it cannot parse.
  if (e instanceof TypeError) return { kind: 'bad-url', message: `"${redactUrl(baseUrl)}" is not a valid URL.` };
  return { kind: 'network', message: e instanceof Error ? e.message : String(e) };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringRecord(v: unknown): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  if (isObject(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}
