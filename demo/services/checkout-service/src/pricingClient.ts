import { setTimeout as sleep } from 'node:timers/promises';
import { requestJson, UpstreamHttpError, UpstreamTimeoutError } from './httpClient';

export interface Price {
  sku: string;
  unitPriceCents: number;
  currency: string;
  appliedPromotions: string[];
}

/** Per-attempt timeout. p99 of GET /api/prices is ~40 ms when the catalog cache is warm. */
export const PRICING_TIMEOUT_MS = 2_000;
/** One retry. During the 03:12 incident this doubled the load on an already saturated pricing DB. */
export const PRICING_MAX_ATTEMPTS = 2;
export const PRICING_RETRY_BACKOFF_MS = 250;

export class PricingClient {
  constructor(private readonly baseUrl = process.env.PRICING_URL ?? 'http://pricing-service:8080') {}

  async getPrices(skus: string[]): Promise<Price[]> {
    const url = new URL('/api/prices', this.baseUrl);
    url.searchParams.set('skus', skus.join(','));
    for (let attempt = 0; ; attempt++) {
      try {
        const body = await requestJson<{ items: Price[] }>('GET', url, { timeoutMs: PRICING_TIMEOUT_MS, resendCount: attempt });
        return body.items;
      } catch (err) {
        const retryable = err instanceof UpstreamTimeoutError || (err instanceof UpstreamHttpError && err.status === 503);
        if (!retryable || attempt + 1 >= PRICING_MAX_ATTEMPTS) throw err;
        await sleep(PRICING_RETRY_BACKOFF_MS);
      }
    }
  }
}

export const pricing = new PricingClient();
