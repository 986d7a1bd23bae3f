import { requestJson } from './httpClient';

export interface Charge {
  chargeId: string;
  status: 'authorized' | 'declined';
}

const PAYMENTS_URL = process.env.PAYMENTS_URL ?? 'http://payments-service:8080';

export async function chargeCard(paymentToken: string, amountCents: number, currency: string, idempotencyKey: string): Promise<Charge> {
  return requestJson<Charge>('POST', new URL('/api/charges', PAYMENTS_URL), {
    timeoutMs: 5_000,
    body: { paymentToken, amountCents, currency, idempotencyKey },
  });
}
