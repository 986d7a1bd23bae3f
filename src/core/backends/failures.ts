/**
 * Why a backend call produced no trace, as one kind (for code) and one sentence (for the user). Every message names
 * the backend, the (redacted) URL and the cause, and says what to do when there is something to do: an on-call
 * engineer reads it at 3 a.m. and must not have to guess whether the trace is missing or the token expired.
 */
import type { HttpErrorKind, HttpResponse } from '../http/request';
import { HttpError, looksLikeHtml, snippet } from '../http/request';
import type { BackendConfig } from './types';

export type BackendFailureKind =
  | 'not-found'
  | 'unauthorized'
  | 'forbidden'
  | 'bad-request'
  | 'server'
  | 'not-json'
  | 'unreadable'
  | HttpErrorKind;

export interface BackendFailure {
  readonly kind: BackendFailureKind;
  /** For the user, as is: names the backend, the URL and the cause. */
  readonly message: string;
  readonly status?: number | undefined;
}

/** The command that stores credentials (src/traces/credentials.ts); named in every 401/403 message. */
export const setCredentialsCommand = 'On-Call: Set Backend Credentials…';

/** A failure from an HttpError (no usable response): the request layer's message, prefixed with the backend name. */
export function fromHttpError(backend: BackendConfig, e: HttpError): BackendFailure {
  const message = e.message.startsWith(backend.name) ? e.message : `${backend.name}: ${e.message}`;
  return { kind: e.kind, message, status: e.status };
}

/** A failure from anything thrown: HttpError is mapped, anything else is a bug reported as `network` with its text. */
export function fromThrown(backend: BackendConfig, url: string, e: unknown): BackendFailure {
  if (e instanceof HttpError) return fromHttpError(backend, e);
  return { kind: 'network', message: `${backend.name} (${url}): ${e instanceof Error ? e.message : String(e)}` };
}

/**
 * The error text a backend put in its body: Jaeger v1 `{"errors":[{"msg"}]}` (served as text/plain by `http.Error`),
 * Jaeger v3 `{"error":{"message"}}`, Prometheus-style `{"error":"…"}`, or plain text (Tempo, Zipkin). Empty for an
 * HTML page (a proxy's or login page's text is noise) and for an empty body.
 */
export function errorText(res: Pick<HttpResponse, 'body' | 'contentType'>): string {
  const body = res.body.trim();
  if (body === '' || looksLikeHtml(res)) return '';
  if (body.startsWith('{')) {
    try {
      const doc = JSON.parse(body) as Record<string, unknown>;
      const errors = doc['errors'];
      if (Array.isArray(errors) && errors.length > 0) {
        const first = errors[0] as Record<string, unknown> | null;
        if (first && typeof first['msg'] === 'string') return first['msg'];
      }
      const error = doc['error'];
      if (typeof error === 'object' && error !== null && typeof (error as Record<string, unknown>)['message'] === 'string') return (error as Record<string, string>)['message'] ?? '';
      if (typeof error === 'string') return error;
      if (typeof doc['message'] === 'string') return doc['message'];
    } catch {
      // not JSON after all: show the text
    }
  }
  return snippet(body, 200);
}

/**
 * A failure for an HTTP status that is not success. `what` says what was asked for ("trace 4bf9…", "services"),
 * `searched` describes the time window for a 404 ("the last 24 h").
 */
export function fromStatus(backend: BackendConfig, res: HttpResponse, what: string, searched?: string): BackendFailure {
  const status = res.status;
  const text = errorText(res);
  const said = text ? `: "${text}"` : '';
  const where = `${backend.name} (${res.url})`;
  const html = looksLikeHtml(res) ? ' It answered with an HTML page — a login or proxy page, or a URL that is not the API base.' : '';
  if (status === 401) {
    const tenantHint =
      (backend.kind === 'tempo' || backend.kind === 'tempo-v2') && !backend.tenant && /org ?id/i.test(text)
        ? ` This Tempo runs multi-tenant: set the backend's "tenant" (sent as X-Scope-OrgID).`
        : '';
    return { kind: 'unauthorized', status, message: `${where} refused the request (HTTP 401 Unauthorized${said}).${tenantHint}${html} Run "${setCredentialsCommand}" to set its token or password.` };
  }
  if (status === 403) {
    return { kind: 'forbidden', status, message: `${where} denied access (HTTP 403 Forbidden${said}): the credentials were read but do not allow this.${html} Run "${setCredentialsCommand}" to change them.` };
  }
  if (status === 404) {
    const window = searched ? `, searched ${searched}` : '';
    return { kind: 'not-found', status, message: `${capitalize(what)} was not found in ${backend.name} (${res.url}${window})${said ? ` — ${text}` : ''}.${html}` };
  }
  if (status >= 500) {
    return { kind: 'server', status, message: `${where} failed with HTTP ${status}${res.statusText ? ` ${res.statusText}` : ''}${said || (html ? '' : ' and an empty body')}.${html}` };
  }
  return { kind: 'bad-request', status, message: `${where} rejected the request for ${what} (HTTP ${status}${said}).${html}` };
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
