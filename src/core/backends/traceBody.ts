/**
 * The extension's way to fetch a trace: the HTTP exchange only, with the same endpoints and failure messages as
 * `fetchTrace`, but the body is returned as text instead of parsed — the extension parses it in its worker thread, so
 * a 50 MB answer never blocks the editor. (`fetchTrace`, which parses in place, is for the CLI and tests.)
 *
 * Checked here, because they need no full parse: a non-2xx status, an HTML page (a login or proxy page served with
 * 200), an empty body, and — for bodies up to 64 KB — an answer that holds no spans (Jaeger `{"data":[]}`, Zipkin
 * `[]`, Tempo `{}`), which is a "not found" in disguise.
 */
import { HttpError, looksLikeHtml, parseJsonBody } from '../http/request';
import { getText } from './call';
import { canonicalTraceId, isEmptyTrace, tempoPartial, traceEndpoint } from './endpoints';
import type { BackendFailure } from './failures';
import { fromHttpError } from './failures';
import type { FetchOptions } from './fetchTrace';
import type { BackendConfig } from './types';
import { describeWindow, lookbackWindow } from './window';

export type TraceBodyResult =
  | {
      readonly ok: true;
      readonly backend: string;
      readonly text: string;
      /** How OTLP IDs in the body are encoded (Tempo: base64). */
      readonly idEncoding: 'hex' | 'base64';
      /** The canonical ID asked for (32 lower-case hex). */
      readonly traceId: string;
      /** Redacted request URL. */
      readonly url: string;
      /** The time window searched, in words ("the last 24 h"), for a "not found" message. */
      readonly searched: string;
      readonly bytes: number;
      readonly ms: number;
    }
  | { readonly ok: false; readonly backend: string; readonly error: BackendFailure };

/** Bodies up to this size are parsed here to tell "no spans" from a trace; larger ones surely hold spans. */
const emptyCheckBytes = 64 * 1024;

export async function fetchTraceBody(backend: BackendConfig, traceId: string, options: FetchOptions = {}): Promise<TraceBodyResult> {
  const fail = (error: BackendFailure): TraceBodyResult => ({ ok: false, backend: backend.name, error });
  const id = canonicalTraceId(traceId);
  if (id === undefined) {
    return fail({ kind: 'bad-request', message: `"${traceId.slice(0, 80)}" is not a trace ID (16 or 32 hex characters); nothing was asked of ${backend.name}.` });
  }
  const { now, ...requestOptions } = options;
  // Zipkin takes no window; every other backend gets the configured lookback.
  const window = backend.kind === 'zipkin' ? undefined : lookbackWindow(backend, now);
  const searched = describeWindow(window, backend);
  const endpoint = traceEndpoint(backend, id, window);
  const got = await getText(backend, endpoint.path, endpoint.query, requestOptions, `trace ${id}`, searched);
  if (!got.ok) return fail(got.failure);
  const res = got.res;
  if (res.body.trim() === '') {
    return fail({ kind: 'not-json', status: res.status, message: `${backend.name} (${res.url}) answered HTTP ${res.status} with an empty body instead of trace JSON.` });
  }
  if (looksLikeHtml(res)) {
    try {
      parseJsonBody(res, backend.name);
    } catch (e) {
      if (e instanceof HttpError) return fail(fromHttpError(backend, e));
    }
  }
  if (res.bytes <= emptyCheckBytes) {
    let json: unknown;
    try {
      json = JSON.parse(res.body);
    } catch {
      json = undefined; // the reader reports where the JSON breaks
    }
    if (json !== undefined && isEmptyTrace(json)) {
      const partial = tempoPartial(backend, json);
      const why = partial ? ` Tempo said the answer is partial: ${partial}` : '';
      return fail({ kind: 'not-found', status: res.status, message: `Trace ${id} was not found in ${backend.name} (${res.url}, searched ${searched}): the answer held no spans.${why}` });
    }
  }
  return { ok: true, backend: backend.name, text: res.body, idEncoding: endpoint.idEncoding, traceId: id, url: res.url, searched, bytes: res.bytes, ms: res.ms };
}
