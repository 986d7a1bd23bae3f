import type { Catalog } from './catalogRepo';
import { startSpan } from './telemetry';

export interface PricedItem {
  sku: string;
  unitPriceCents: number;
  currency: string;
  appliedPromotions: string[];
}

const PROMOTION_DISCOUNT_BPS: Record<string, number> = {
  'BF-2026': 1500,
  'BUNDLE-3': 500,
  'LOYALTY-GOLD': 300,
};

export function applyPromotions(catalog: Catalog, skus: string[]): PricedItem[] {
  const span = startSpan('applyPromotions', { attributes: { 'pricing.sku_count': skus.length } });
  try {
    return skus.map((sku) => {
      const item = catalog.get(sku);
      if (!item) throw new Error(`unknown sku ${sku}`);
      const discountBps = item.promotionIds.reduce((sum, id) => sum + (PROMOTION_DISCOUNT_BPS[id] ?? 0), 0);
      return {
        sku,
        unitPriceCents: Math.round((item.listPriceCents * (10_000 - Math.min(discountBps, 5_000))) / 10_000),
        currency: item.currency,
        appliedPromotions: item.promotionIds,
      };
    });
  } finally {
    span.end();
  }
}
