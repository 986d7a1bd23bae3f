import { json, type HttpRequest, type HttpResult } from './http';
import { PoolTimeoutError } from './dbPool';
import { priceCache } from './priceCache';
import { applyPromotions } from './promotions';

/** GET /api/prices?skus=A,B,C → current unit prices with promotions applied. */
export async function handleGetPrices(req: HttpRequest): Promise<HttpResult> {
  const skus = (req.query.get('skus') ?? '').split(',').filter(Boolean);
  if (skus.length === 0 || skus.length > 100) {
    return json(400, { error: 'skus must list 1-100 SKUs' });
  }
  try {
    const catalog = await priceCache.getCatalog();
    return json(200, { items: applyPromotions(catalog, skus) });
  } catch (err) {
    if (err instanceof PoolTimeoutError) {
      // The DB is overloaded; tell callers to back off instead of returning a 500.
      // (The exception itself was already recorded on the db.pool.acquire span.)
      return json(503, { error: 'pricing temporarily unavailable', retryAfterMs: 1_000 }, err.message);
    }
    throw err;
  }
}
