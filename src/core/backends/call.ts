/**
 * One GET against a backend, with what every endpoint shares: the tenant header, failures mapped instead of thrown,
 * a non-2xx status turned into a BackendFailure, and the JSON body parsed (an HTML login page becomes `not-json`).
 */
import type { HttpResponse, RequestOptions } from '../http/request';
import { HttpError, joinUrl, parseJsonBody, redactUrl, request } from '../http/request';
import type { BackendFailure } from './failures';
import { fromHttpError, fromStatus, fromThrown } from './failures';
import type { BackendConfig } from './types';

export type Query = Readonly<Record<string, string | number | undefined>>;

export type CallResult =
  | { readonly ok: true; readonly res: HttpResponse; readonly json: unknown }
  | { readonly ok: false; readonly failure: BackendFailure; readonly res?: HttpResponse | undefined };

/** Headers every call to `backend` carries: Tempo's tenant (`X-Scope-OrgID`, trace-apis.md §2). */
function backendHeaders(backend: BackendConfig, options: RequestOptions): Record<string, string> {
  const headers: Record<string, string> = { ...options.headers };
  if (backend.tenant) headers['X-Scope-OrgID'] = backend.tenant;
  return headers;
}

/** The URL of an API path under the backend's base URL; undefined (with a failure) when the base URL is not a URL. */
export function apiUrl(backend: BackendConfig, path: string, query?: Query): { url: string } | { failure: BackendFailure } {
  try {
    return { url: joinUrl(backend.url, path, query) };
  } catch {
    return { failure: { kind: 'bad-url', message: `${backend.name}: "${redactUrl(backend.url)}" is not a valid URL. Check the backend's "url" in the setting oncall.traces.backends.` } };
  }
}

export type TextResult =
  | { readonly ok: true; readonly res: HttpResponse }
  | { readonly ok: false; readonly failure: BackendFailure; readonly res?: HttpResponse | undefined };

/**
 * GETs `path` and checks the status: any non-2xx becomes a BackendFailure. `what` names the thing asked for in
 * messages ("trace 4bf9…"); `searched` describes the time window for a 404.
 */
export async function getText(backend: BackendConfig, path: string, query: Query | undefined, options: RequestOptions, what: string, searched?: string): Promise<TextResult> {
  const target = apiUrl(backend, path, query);
  if ('failure' in target) return { ok: false, failure: target.failure };
  let res: HttpResponse;
  try {
    res = await request(target.url, { ...options, method: 'GET', headers: backendHeaders(backend, options) });
  } catch (e) {
    return { ok: false, failure: fromThrown(backend, redactUrl(target.url), e) };
  }
  if (res.status < 200 || res.status >= 300) return { ok: false, failure: fromStatus(backend, res, what, searched), res };
  return { ok: true, res };
}

/** getText, then the body parsed as JSON (an HTML login page or other text becomes `not-json`). */
export async function getJson(backend: BackendConfig, path: string, query: Query | undefined, options: RequestOptions, what: string, searched?: string): Promise<CallResult> {
  const got = await getText(backend, path, query, options, what, searched);
  if (!got.ok) return got;
  try {
    return { ok: true, res: got.res, json: parseJsonBody(got.res, backend.name) };
  } catch (e) {
    if (e instanceof HttpError) return { ok: false, failure: fromHttpError(backend, e), res: got.res };
    throw e;
  }
}
