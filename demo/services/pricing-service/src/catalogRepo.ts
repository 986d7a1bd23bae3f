import { pool, type DbPool } from './dbPool';
import { failSpan, inSpan, startSpan } from './telemetry';

export interface CatalogItem {
  sku: string;
  listPriceCents: number;
  currency: string;
  promotionIds: string[];
}

export type Catalog = Map<string, CatalogItem>;

// Joins every active SKU with its current price rule and promotions. ~42k rows; takes 1.5-2 s on an
// idle replica because price_rules has no index on (sku, valid_from). Fine while it runs once per
// cache TTL, painful when many requests run it at the same time.
const CATALOG_SQL = `
  SELECT i.sku, r.list_price_cents, r.currency, array_remove(array_agg(p.promotion_id), NULL) AS promotion_ids
    FROM catalog_items i
    JOIN price_rules r ON r.sku = i.sku AND r.valid_from <= now() AND (r.valid_to IS NULL OR r.valid_to > now())
    LEFT JOIN promotion_skus p ON p.sku = i.sku
   WHERE i.active
   GROUP BY i.sku, r.list_price_cents, r.currency`;

interface CatalogRow {
  sku: string;
  list_price_cents: number;
  currency: string;
  promotion_ids: string[];
}

export async function fetchCatalog(db: DbPool = pool): Promise<Catalog> {
  const span = startSpan('fetchCatalog', { attributes: { 'pricing.catalog.source': 'postgres' } });
  try {
    const client = await inSpan(span, () => db.acquire());
    try {
      const rows = await inSpan(span, () => db.query<CatalogRow>(client, 'SELECT catalog_items', CATALOG_SQL));
      span.setAttribute('pricing.catalog.items', rows.length);
      return new Map(rows.map((row) => [row.sku, toCatalogItem(row)]));
    } finally {
      db.release(client);
    }
  } catch (err) {
    failSpan(span, err);
    throw err;
  } finally {
    span.end();
  }
}

function toCatalogItem(row: CatalogRow): CatalogItem {
  return {
    sku: row.sku,
    listPriceCents: row.list_price_cents,
    currency: row.currency,
    promotionIds: row.promotion_ids,
  };
}

export interface PriceRuleRow {
  sku: string;
  cost_cents: number;
  margin_bps: number;
  competitor_price_cents: number | null;
}

export async function loadPriceRules(db: DbPool, client: Awaited<ReturnType<DbPool['acquire']>>, skus: string[]): Promise<PriceRuleRow[]> {
  return db.query<PriceRuleRow>(
    client,
    'SELECT price_rules',
    'SELECT sku, cost_cents, margin_bps, competitor_price_cents FROM price_rules WHERE sku = ANY($1) AND valid_to IS NULL',
    [skus],
  );
}

export async function savePrices(db: DbPool, client: Awaited<ReturnType<DbPool['acquire']>>, prices: Map<string, number>): Promise<void> {
  await db.query(
    client,
    'UPDATE price_rules',
    'UPDATE price_rules SET list_price_cents = v.price FROM unnest($1::text[], $2::int[]) AS v(sku, price) WHERE price_rules.sku = v.sku AND valid_to IS NULL',
    [[...prices.keys()], [...prices.values()]],
  );
}
