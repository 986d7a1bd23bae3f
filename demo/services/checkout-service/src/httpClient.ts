import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { failSpan, startSpan } from './telemetry';

export class UpstreamTimeoutError extends Error {
  override readonly name = 'UpstreamTimeoutError';
}

export class UpstreamHttpError extends Error {
  override readonly name = 'UpstreamHttpError';

  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export interface RequestOptions {
  timeoutMs: number;
  /** 0 for the first try, 1 for the first retry, ... (http.request.resend_count). */
  resendCount?: number;
  body?: unknown;
}

/** fetch() wrapped in an HTTP CLIENT span, with a per-attempt timeout and W3C trace context propagation. */
export async function requestJson<T>(method: string, url: URL, options: RequestOptions): Promise<T> {
  const span = startSpan(method, {
    kind: SpanKind.CLIENT,
    attributes: {
      'http.request.method': method,
      'url.full': url.href,
      'server.address': url.hostname,
      'server.port': Number(url.port || 80),
      ...(options.resendCount ? { 'http.request.resend_count': options.resendCount } : {}),
    },
  });
  try {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    propagation.inject(trace.setSpan(context.active(), span), headers);
    const res = await fetch(url, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    span.setAttribute('http.response.status_code', res.status);
    if (!res.ok) {
      span.setAttribute('error.type', String(res.status));
      throw new UpstreamHttpError(res.status, `${method} ${url.pathname} returned ${res.status}`);
    }
    return (await res.json()) as T;
  } catch (err) {
    if (err instanceof DOMException && err.name === 'TimeoutError') {
      // Re-thrown as our own type: recordException() would report the DOMException's numeric
      // `code` (23) as exception.type, which nobody can search for at 3 a.m.
      const timeout = new UpstreamTimeoutError(`${method} ${url.href} timed out after ${options.timeoutMs}ms`, { cause: err });
      span.setAttribute('error.type', timeout.name);
      failSpan(span, timeout);
      throw timeout;
    }
    failSpan(span, err);
    throw err;
  } finally {
    span.end();
  }
}
