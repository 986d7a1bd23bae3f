/**
 * One GET of a deploy API (GitHub, Argo CD, a JSON feed) on the project's HTTP client (src/core/http/request.ts:
 * one deadline over the whole exchange, proxies, CA, size limit), with failures as values whose message names the
 * source, the redacted URL and the cause, and says what to do: 401/403 → "Set Deploy Credentials", 404 → what was
 * not found, 5xx → a snippet of the body. Never throws, never logs or echoes the token.
 */
import type { HttpResponse, RequestOptions } from '../http/request';
import { HttpError, looksLikeHtml, parseJsonBody, redactUrl, request } from '../http/request';
import { errorText } from '../backends/failures';
import type { DeployProblem } from './model';

/** The command that stores a deploy source's token (the glue registers it); named in every 401/403 message. */
export const setDeployCredentialsCommand = 'On-Call: Set Deploy Credentials…';

export type FeedFailureKind = 'unauthorized' | 'forbidden' | 'not-found' | 'rate-limited' | 'bad-request' | 'server' | HttpError['kind'];

export interface FeedFailure {
  readonly kind: FeedFailureKind;
  /** For the user, as is. */
  readonly message: string;
  readonly status?: number;
}

export type FeedResult = { readonly ok: true; readonly res: HttpResponse; readonly json: unknown } | { readonly ok: false; readonly failure: FeedFailure; readonly res?: HttpResponse };

export interface FeedRequest {
  /** Names the source at the start of messages: `GitHub acme/shop`, `Argo CD checkout-prod`, `Deploy feed`. */
  readonly label: string;
  /** What a 404 means, as a noun phrase: `repository acme/shop`, `application checkout-prod`. */
  readonly notFound: string;
  /** Added to a 404 message, e.g. GitHub's "a private repository answers 404 without a token". */
  readonly notFoundHint?: string;
  /** Added to a 403 message, e.g. Argo CD's "also for an application that does not exist". */
  readonly forbiddenHint?: string;
  /** The credential key (`github:acme/shop`), named when no token was sent. */
  readonly credentialKey: string;
  /** Sent as `Authorization: Bearer …`; never shown. */
  readonly token?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Looked at before the status is: GitHub's rate limit is a 403 or 429 that is not about credentials. */
  readonly classify?: (res: HttpResponse) => FeedFailure | undefined;
}

/** GETs `url` and parses the JSON answer; any failure (network, status, not JSON) comes back as a FeedFailure. */
export async function getFeedJson(url: string, http: RequestOptions, req: FeedRequest): Promise<FeedResult> {
  let res: HttpResponse;
  try {
    res = await request(url, {
      ...http,
      method: 'GET',
      headers: { ...http.headers, ...req.headers },
      ...(req.token ? { auth: { kind: 'bearer' as const, token: req.token } } : {}),
    });
  } catch (e) {
    return { ok: false, failure: thrownFailure(req.label, url, e) };
  }
  const special = req.classify?.(res);
  if (special) return { ok: false, failure: special, res };
  if (res.status < 200 || res.status >= 300) return { ok: false, failure: statusFailure(req, res), res };
  try {
    return { ok: true, res, json: parseJsonBody(res, req.label) };
  } catch (e) {
    return { ok: false, failure: thrownFailure(req.label, url, e), res };
  }
}

/** A failure from anything `request` or `parseJsonBody` threw: the HTTP layer's message, prefixed with the label. */
export function thrownFailure(label: string, url: string, e: unknown): FeedFailure {
  if (e instanceof HttpError) return { kind: e.kind, message: e.message.startsWith(label) ? e.message : `${label}: ${e.message}`, ...(e.status !== undefined ? { status: e.status } : {}) };
  return { kind: 'network', message: `${label} (${redactUrl(url)}): ${e instanceof Error ? e.message : String(e)}` };
}

/** A failure for a non-2xx status, worded per status. */
export function statusFailure(req: FeedRequest, res: HttpResponse): FeedFailure {
  const status = res.status;
  const text = errorText(res);
  const said = text ? `: "${text}"` : '';
  const where = `${req.label} (${res.url})`;
  const html = looksLikeHtml(res) ? ' It answered with an HTML page — a login or proxy page, or a URL that is not the API.' : '';
  const credentials = req.token
    ? `the stored token was sent; run "${setDeployCredentialsCommand}" to replace it`
    : `no token is stored for ${req.credentialKey}; run "${setDeployCredentialsCommand}" to set one`;
  if (status === 401) return { kind: 'unauthorized', status, message: `${where} refused the request (HTTP 401 Unauthorized${said}).${html} ${capitalize(credentials)}.` };
  if (status === 403) {
    return { kind: 'forbidden', status, message: `${where} denied access (HTTP 403 Forbidden${said}).${req.forbiddenHint ? ` ${req.forbiddenHint}` : ''}${html} ${capitalize(credentials)}.` };
  }
  if (status === 404) {
    return { kind: 'not-found', status, message: `${capitalize(req.notFound)} was not found: ${where} answered HTTP 404${said}.${html}${req.notFoundHint ? ` ${req.notFoundHint}` : ''}` };
  }
  if (status >= 500) return { kind: 'server', status, message: `${where} failed with HTTP ${status}${res.statusText ? ` ${res.statusText}` : ''}${said || (html ? '' : ' and an empty body')}.${html}` };
  return { kind: 'bad-request', status, message: `${where} rejected the request (HTTP ${status}${said}).${html}` };
}

/** The problem a failure becomes in a DeploySourceResult. */
export function failureProblem(f: FeedFailure, source: string): DeployProblem {
  return { message: f.message, severity: 'error', code: f.kind, source };
}

/** Parses an RFC 8288 `Link` header (GitHub's pagination) into rel → URL. Malformed parts are skipped. */
export function parseLinkHeader(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const m of header.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]+)*)/g)) {
    const rel = /;\s*rel\s*=\s*"?([^";,]+)"?/i.exec(m[2] ?? '');
    if (rel?.[1] && m[1] !== undefined) for (const r of rel[1].trim().split(/\s+/)) out[r.toLowerCase()] ??= m[1];
  }
  return out;
}

/** `2026-11-23T04:00:00.000Z` → `2026-11-23 04:00:00 UTC`. */
export function utcText(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** What every HTTP deploy source is read with. */
export interface FeedContext {
  /** The catalog service the deploys belong to. */
  readonly service: string;
  /** The project's request options (deadline, proxy, CA, size limit, cancellation). */
  readonly http: RequestOptions;
  /** The token stored for `credentialKey`, sent as a bearer token. */
  readonly token?: string;
  /** The source's credential key (`sourceKey()`), named in messages and problems. */
  readonly credentialKey: string;
  /** Only changes at or after this time; paginated sources stop asking once past it. */
  readonly since?: Date;
  /** "Now", for a `retry-after` in seconds; default the clock. */
  readonly now?: Date;
}
