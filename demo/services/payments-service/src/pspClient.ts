import { SpanKind } from '@opentelemetry/api';
import { failSpan, startSpan } from './telemetry';

const PSP_URL = new URL(process.env.PSP_URL ?? 'https://api.psp.example.net/v3/authorizations');

export interface Authorization {
  id: string;
  outcome: 'approved' | 'declined';
}

/** Card authorization at the payment service provider. Sandbox in staging, live in production. */
export async function authorizeWithPsp(paymentToken: string, amountCents: number, currency: string, idempotencyKey: string): Promise<Authorization> {
  const span = startSpan('POST', {
    kind: SpanKind.CLIENT,
    attributes: {
      'http.request.method': 'POST',
      'url.full': PSP_URL.href,
      'server.address': PSP_URL.hostname,
      'server.port': 443,
    },
  });
  try {
    const res = await fetch(PSP_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey, authorization: `Bearer ${process.env.PSP_API_KEY}` },
      body: JSON.stringify({ source: paymentToken, amount: amountCents, currency }),
      signal: AbortSignal.timeout(4_000),
    });
    span.setAttribute('http.response.status_code', res.status);
    if (!res.ok) throw new Error(`PSP answered ${res.status}`);
    return (await res.json()) as Authorization;
  } catch (err) {
    failSpan(span, err);
    throw err;
  } finally {
    span.end();
  }
}
