import { ROOT_CONTEXT, context } from '@opentelemetry/api';
import { loadPriceRules, savePrices, type PriceRuleRow } from './catalogRepo';
import { pool } from './dbPool';
import { publishPriceChanges } from './priceEvents';
import { priceCache } from './priceCache';
import { failSpan, inSpan, startSpan } from './telemetry';

export const REPRICING_BATCH_SIZE = 500;
export const REPRICING_CONCURRENCY = 4;

/** Nightly-ish job (every 6 h): recompute list prices from cost, margin and competitor prices. */
export async function runRepricingJob(allSkus: string[]): Promise<void> {
  const span = startSpan('repricing-job', { attributes: { 'pricing.sku_count': allSkus.length } });
  try {
    const batches: string[][] = [];
    for (let i = 0; i < allSkus.length; i += REPRICING_BATCH_SIZE) batches.push(allSkus.slice(i, i + REPRICING_BATCH_SIZE));
    span.setAttribute('pricing.batch_count', batches.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < batches.length) await repriceBatch(batches[next++]);
    };
    await inSpan(span, () => Promise.all(Array.from({ length: REPRICING_CONCURRENCY }, worker)).then(() => undefined));
    // Make the new prices visible right away. Every entry gets the same expiry: now + TTL.
    await inSpan(span, () => priceCache.warm());
  } catch (err) {
    failSpan(span, err);
    throw err;
  } finally {
    span.end();
  }
}

export async function repriceBatch(skus: string[]): Promise<void> {
  const span = startSpan('repriceBatch', { attributes: { 'pricing.batch_size': skus.length, 'pricing.first_sku': skus[0] } });
  try {
    const client = await inSpan(span, () => pool.acquire());
    try {
      const rules = await inSpan(span, () => loadPriceRules(pool, client, skus));
      const prices = await inSpan(span, async () => computePrices(rules));
      await inSpan(span, () => savePrices(pool, client, prices));
      await inSpan(span, () => publishPriceChanges(prices));
    } finally {
      pool.release(client);
    }
  } catch (err) {
    failSpan(span, err);
    throw err;
  } finally {
    span.end();
  }
}

export function computePrices(rules: PriceRuleRow[]): Map<string, number> {
  const span = startSpan('computePrices', { attributes: { 'pricing.rule_count': rules.length } });
  try {
    const prices = new Map<string, number>();
    for (const rule of rules) {
      const fromMargin = Math.round(rule.cost_cents * (1 + rule.margin_bps / 10_000));
      const price = rule.competitor_price_cents ? Math.min(fromMargin, rule.competitor_price_cents - 1) : fromMargin;
      prices.set(rule.sku, Math.max(price, rule.cost_cents));
    }
    return prices;
  } finally {
    span.end();
  }
}

export function startRepricingSchedule(listSkus: () => Promise<string[]> = async () => []): void {
  const run = (): void => {
    void context.with(ROOT_CONTEXT, async () => runRepricingJob(await listSkus()).catch(() => undefined));
  };
  setInterval(run, 6 * 60 * 60_000).unref();
}
