/**
 * One HTTP GET/POST for every backend (Jaeger, Tempo, Zipkin, Prometheus), with what an on-call engineer needs when
 * the network is the problem: a deadline over the whole exchange (a server that drips one byte a second cannot hold
 * us past it), a body limit that stops reading instead of buffering 2 GB, cancellation, progress, and errors that
 * name the URL and the cause in words. Never logs or echoes a credential: URLs in messages are redacted.
 *
 * Pure Node + axios (no `vscode`): used in the extension host, the trace worker and the CLI.
 */
import axios, { AxiosError } from 'axios';
import type { AxiosRequestConfig, AxiosResponse } from 'axios';
import * as https from 'node:https';
import type { Readable } from 'node:stream';
import * as tls from 'node:tls';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';

export type HttpAuth =
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  | { readonly kind: 'header'; readonly name: string; readonly value: string };

export interface RequestOptions {
  readonly method?: 'GET' | 'POST';
  /** A form body (`application/x-www-form-urlencoded`) for POST. */
  readonly form?: Readonly<Record<string, string>>;
  /** Deadline for the whole request, connect to last byte. Default 15 s. */
  readonly timeoutMs?: number;
  /** Stop reading and fail with `too-large` beyond this many (decompressed) bytes. Default 50 MB. */
  readonly maxBytes?: number;
  readonly signal?: AbortSignal;
  readonly auth?: HttpAuth;
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * An HTTP(S) proxy URL (`http://proxy:3128`, VS Code's `http.proxy`): http:// targets are sent to it as absolute
   * URIs, https:// targets tunnelled with CONNECT. `'env'` uses `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` (the CLI).
   * Absent: a direct connection (where VS Code hooks Node's agents for the system proxy, that still applies).
   */
  readonly proxy?: string | 'env';
  /** Hosts that bypass `proxy` (VS Code's `http.noProxy`): `example.com` (and its subdomains), `.example.com`, `*`, `host:port`. */
  readonly noProxy?: readonly string[];
  /** `Proxy-Authorization` header value for `proxy` (VS Code's `http.proxyAuthorization`). */
  readonly proxyAuthorization?: string;
  /** Extra certificate authorities (PEM), e.g. a company CA, in addition to Node's bundled roots. */
  readonly ca?: string | Buffer;
  /** False to accept any certificate (VS Code's `http.proxyStrictSSL: false`). Default true. */
  readonly rejectUnauthorized?: boolean;
  /** Called as the body arrives: bytes so far and the announced total when the server sent Content-Length. */
  readonly onProgress?: (received: number, total: number | undefined) => void;
}

export interface HttpResponse {
  readonly status: number;
  readonly statusText: string;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly contentType: string;
  readonly body: string;
  readonly bytes: number;
  readonly ms: number;
  /** The request URL with credentials removed, for messages and logs. */
  readonly url: string;
}

export type HttpErrorKind = 'cancelled' | 'timeout' | 'refused' | 'dns' | 'tls' | 'network' | 'too-large' | 'bad-url' | 'not-json';

/** A request that produced no usable HTTP response (or an unusable body). The message is for the user, as is. */
export class HttpError extends Error {
  constructor(
    readonly kind: HttpErrorKind,
    message: string,
    readonly url: string,
    readonly code?: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const defaultTimeoutMs = 15_000;
export const defaultMaxBytes = 50 * 1024 * 1024;

/** Query parameters whose values are never shown. */
const secretParams = /^(?:access_?token|token|api_?key|apikey|key|auth|password|passwd|secret|sig|signature|x-api-key)$/i;

/** `url` without user info and with secret-looking query values replaced by `***`. Never throws. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    for (const key of [...u.searchParams.keys()]) if (secretParams.test(key)) u.searchParams.set(key, '***');
    return u.toString();
  } catch {
    return url.replace(/\/\/[^/@\s]*@/, '//');
  }
}

/** Joins a base URL (which may have a path prefix such as `/jaeger`) and an API path. */
export function joinUrl(base: string, path: string, query?: Readonly<Record<string, string | number | undefined>>): string {
  const u = new URL(base);
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  u.search = '';
  u.hash = '';
  if (query) for (const [k, v] of Object.entries(query)) if (v !== undefined) u.searchParams.set(k, String(v));
  return u.toString();
}

function authHeaders(auth: HttpAuth | undefined): Record<string, string> {
  if (!auth) return {};
  switch (auth.kind) {
    case 'bearer':
      return { authorization: `Bearer ${auth.token}` };
    case 'basic':
      return { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}` };
    case 'header':
      return { [auth.name]: auth.value };
  }
}

function megabytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(n >= 10 * 1024 * 1024 ? 0 : 1)} MB` : `${Math.ceil(n / 1024)} KB`;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * Sends one request and reads the whole body as UTF-8 text, for any HTTP status (callers decide what a 404 means).
 * Throws HttpError when there is no response to read: cancelled, deadline passed, connection refused, unknown host,
 * TLS failure, other network errors, or a body over the limit.
 */
export async function request(url: string, options: RequestOptions = {}): Promise<HttpResponse> {
  const shown = redactUrl(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new HttpError('bad-url', `"${shown}" is not a valid URL.`, shown);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new HttpError('bad-url', `"${shown}" is not an http:// or https:// URL.`, shown);
  }
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const maxBytes = options.maxBytes ?? defaultMaxBytes;
  if (options.signal?.aborted) throw new HttpError('cancelled', `Cancelled: ${shown}.`, shown);

  // One controller for the user's cancel and our deadline; `why` remembers which fired.
  const controller = new AbortController();
  let why: 'cancelled' | 'timeout' | undefined;
  const onCancel = (): void => {
    why ??= 'cancelled';
    controller.abort();
  };
  options.signal?.addEventListener('abort', onCancel, { once: true });
  const deadline = setTimeout(() => {
    why ??= 'timeout';
    controller.abort();
  }, timeoutMs);

  // Credentials in the URL (https://user:pass@host) become a header, so the URL we pass on and show carries none.
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'oncall-lens', ...options.headers, ...authHeaders(options.auth) };
  if (parsed.username || parsed.password) {
    headers['authorization'] ??= `Basic ${Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString('base64')}`;
    parsed.username = '';
    parsed.password = '';
  }
  const config: AxiosRequestConfig = {
    url: parsed.toString(),
    method: options.method ?? 'GET',
    headers,
    responseType: 'stream',
    validateStatus: () => true,
    maxRedirects: 5,
    decompress: true,
    signal: controller.signal,
    // 'env': axios reads HTTP(S)_PROXY/NO_PROXY. An explicit proxy goes through an agent of ours (below), never axios'
    // own proxy option: an agent keeps the request addressed to the real host, so where VS Code also hooks Node's
    // agents (`http.proxySupport: override`) it resolves the same proxy instead of proxying to the proxy.
    proxy: options.proxy === 'env' ? undefined : false,
    // Our own deadline covers the whole exchange; axios' timeout is per socket inactivity.
    timeout: 0,
    maxContentLength: -1,
    transitional: { clarifyTimeoutError: true },
  };
  if (options.form) {
    config.data = new URLSearchParams(options.form as Record<string, string>).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  const proxy = options.proxy !== undefined && options.proxy !== 'env' && !bypassesProxy(parsed, options.noProxy ?? []) ? options.proxy : undefined;
  if (proxy !== undefined) {
    const proxyHeaders = options.proxyAuthorization ? { 'proxy-authorization': options.proxyAuthorization } : undefined;
    if (parsed.protocol === 'http:') config.httpAgent = new HttpProxyAgent(proxy, proxyHeaders ? { headers: proxyHeaders } : {});
    else config.httpsAgent = new TunnelAgent(proxy, proxyHeaders ? { headers: proxyHeaders } : {}, targetTls(options));
  } else if (options.ca !== undefined || options.rejectUnauthorized === false) {
    config.httpsAgent = new https.Agent({
      keepAlive: false,
      rejectUnauthorized: options.rejectUnauthorized !== false,
      // Node replaces its bundled roots when `ca` is given: keep them, and add the user's.
      ...(options.ca !== undefined ? { ca: [...tls.rootCertificates, options.ca] } : {}),
    });
  }
  // No agent of our own otherwise: in the extension host, VS Code's proxy support (`http.proxy`, the system proxy)
  // hooks Node's default agents, and a custom agent would bypass it.

  const t0 = performance.now();
  try {
    const res = await sendOnce(config, () => why !== undefined);
    const responseHeaders: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined && v !== null) responseHeaders[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
    const lengthHeader = Number(responseHeaders['content-length']);
    const announced = Number.isFinite(lengthHeader) && responseHeaders['content-encoding'] === undefined ? lengthHeader : undefined;
    if (announced !== undefined && announced > maxBytes) {
      res.data.destroy();
      throw new HttpError('too-large', `${shown} answered with ${megabytes(announced)}, over the ${megabytes(maxBytes)} limit (setting oncall.http.maxResponseMB); nothing was read.`, shown, undefined, res.status);
    }
    const body = await readBody(res.data, maxBytes, announced, options.onProgress, shown, res.status);
    return {
      status: res.status,
      statusText: res.statusText ?? '',
      headers: responseHeaders,
      contentType: responseHeaders['content-type'] ?? '',
      body: body.text,
      bytes: body.bytes,
      ms: Math.round(performance.now() - t0),
      url: shown,
    };
  } catch (e) {
    if (e instanceof HttpError) throw e;
    if (why === 'timeout') throw new HttpError('timeout', `${shown} did not answer within ${seconds(timeoutMs)} (setting oncall.http.timeoutSeconds).`, shown, 'ETIMEDOUT');
    if (why === 'cancelled') throw new HttpError('cancelled', `Cancelled: ${shown}.`, shown);
    throw networkError(e, shown, parsed);
  } finally {
    clearTimeout(deadline);
    options.signal?.removeEventListener('abort', onCancel);
  }
}

/**
 * Sends the request; a GET whose connection is reset before any answer arrived is sent once more. A reset that early
 * means the request never reached a handler (a connection a load balancer, proxy or server closed while it sat idle):
 * retrying an idempotent GET is what browsers do. Later resets, and POSTs, are errors.
 */
async function sendOnce(config: AxiosRequestConfig, stopped: () => boolean): Promise<AxiosResponse<Readable>> {
  try {
    return await axios.request<Readable>(config);
  } catch (e) {
    const code = (e as AxiosError).code ?? (e as { cause?: { code?: string } }).cause?.code;
    if (config.method !== 'GET' || stopped() || (code !== 'ECONNRESET' && code !== 'EPIPE') || (e as AxiosError).response) throw e;
    return axios.request<Readable>(config);
  }
}

/** TLS options for the target server: the user's CA on top of Node's roots, and VS Code's `http.proxyStrictSSL`. */
function targetTls(options: RequestOptions): tls.ConnectionOptions {
  return {
    ...(options.ca !== undefined ? { ca: [...tls.rootCertificates, options.ca] } : {}),
    ...(options.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
  };
}

/**
 * A CONNECT tunnel through the proxy whose TLS handshake with the target uses our CA and strictness (the plain
 * HttpsProxyAgent takes them from the request options, where axios does not put them).
 */
class TunnelAgent extends HttpsProxyAgent<string> {
  constructor(
    proxy: string,
    options: ConstructorParameters<typeof HttpsProxyAgent<string>>[1],
    private readonly tlsOptions: tls.ConnectionOptions,
  ) {
    super(proxy, options);
  }

  override connect(req: Parameters<HttpsProxyAgent<string>['connect']>[0], opts: Parameters<HttpsProxyAgent<string>['connect']>[1]): ReturnType<HttpsProxyAgent<string>['connect']> {
    return super.connect(req, { ...opts, ...this.tlsOptions } as typeof opts);
  }
}

/** True when `url`'s host is in a no-proxy list (VS Code's `http.noProxy`, curl's NO_PROXY conventions). */
export function bypassesProxy(url: URL, noProxy: readonly string[]): boolean {
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return noProxy.some((raw) => {
    const entry = raw.trim().toLowerCase();
    if (entry === '') return false;
    if (entry === '*') return true;
    const m = /^(.*?)(?::(\d+))?$/.exec(entry);
    const name = (m?.[1] ?? entry).replace(/^\*?\./, '.');
    if (m?.[2] !== undefined && m[2] !== port) return false;
    if (name.startsWith('.')) return host.endsWith(name) || host === name.slice(1);
    return host === name || host.endsWith(`.${name}`);
  });
}

function readBody(
  stream: Readable,
  maxBytes: number,
  announced: number | undefined,
  onProgress: RequestOptions['onProgress'],
  shown: string,
  status: number,
): Promise<{ text: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let lastReport = 0;
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        // Reject first: destroying the stream can emit 'aborted'/'error' synchronously, and the first settle wins.
        reject(new HttpError('too-large', `${shown} sent more than the ${megabytes(maxBytes)} limit (setting oncall.http.maxResponseMB); stopped reading.`, shown, undefined, status));
        stream.destroy();
        return;
      }
      chunks.push(chunk);
      if (onProgress && bytes - lastReport >= 256 * 1024) {
        lastReport = bytes;
        onProgress(bytes, announced);
      }
    });
    stream.on('end', () => {
      onProgress?.(bytes, announced);
      resolve({ text: Buffer.concat(chunks, bytes).toString('utf8'), bytes });
    });
    stream.on('error', (err) => reject(err));
    stream.on('aborted', () => reject(new Error('aborted')));
  });
}

const tlsCodes = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|EPROTO/;

function networkError(e: unknown, shown: string, url: URL): HttpError {
  const err = e as AxiosError & { cause?: { code?: string } };
  const code = err.code && err.code !== 'ERR_BAD_RESPONSE' && !err.code.startsWith('ERR_') ? err.code : (err.cause?.code ?? err.code);
  const host = url.port ? `${url.hostname}:${url.port}` : url.hostname;
  if (err instanceof AxiosError && err.code === AxiosError.ERR_CANCELED) return new HttpError('cancelled', `Cancelled: ${shown}.`, shown, code);
  switch (code) {
    case 'ECONNREFUSED':
      return new HttpError('refused', `Nothing is listening at ${host}: connection refused (${shown}). Is the backend running, and is the URL right?`, shown, code);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EAI_FAIL':
      return new HttpError('dns', `The host name "${url.hostname}" could not be resolved (${code}) for ${shown}. Check the URL, VPN or DNS.`, shown, code);
    case 'ETIMEDOUT':
    case 'ECONNABORTED':
      return new HttpError('timeout', `${shown} timed out (${code}).`, shown, code);
    case 'ECONNRESET':
    case 'EPIPE':
      return new HttpError('network', `The connection to ${host} was closed before the answer was complete (${code}): ${shown}.`, shown, code);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new HttpError('network', `${host} is unreachable from here (${code}): ${shown}. Check VPN and proxy settings.`, shown, code);
  }
  if (code && tlsCodes.test(code)) {
    return new HttpError('tls', `The TLS certificate of ${host} was not accepted (${code}). If it is signed by your company's CA, set oncall.http.caFile to that CA's PEM file.`, shown, code);
  }
  const why = err instanceof Error ? err.message : String(e);
  return new HttpError('network', `Request to ${shown} failed: ${why}${code ? ` (${code})` : ''}.`, shown, code);
}

/** The first characters of a body, on one line, for messages. */
export function snippet(body: string, max = 160): string {
  const one = body.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max)}…` : one;
}

/** True when a body looks like an HTML page (a login page, a proxy's error page) rather than an API answer. */
export function looksLikeHtml(res: Pick<HttpResponse, 'contentType' | 'body'>): boolean {
  return /text\/html/i.test(res.contentType) || /^\s*<(?:!doctype|html|head|body)\b/i.test(res.body.slice(0, 512));
}

/** Parses a JSON body; an HTML page or other text becomes a `not-json` error that says what came back instead. */
export function parseJsonBody(res: HttpResponse, what: string): unknown {
  try {
    return JSON.parse(res.body);
  } catch {
    if (looksLikeHtml(res)) {
      throw new HttpError('not-json', `${what} at ${res.url} answered with an HTML page (HTTP ${res.status}) instead of JSON — often a login or proxy page. Check the URL and the credentials.`, res.url, undefined, res.status);
    }
    const type = res.contentType || 'no content type';
    throw new HttpError('not-json', `${what} at ${res.url} answered with something that is not JSON (HTTP ${res.status}, ${type}): "${snippet(res.body, 120)}".`, res.url, undefined, res.status);
  }
}
