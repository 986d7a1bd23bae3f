import { fetchCatalog, type Catalog } from './catalogRepo';
import { failSpan, inSpan, startSpan } from './telemetry';

/** How long a loaded catalog is served before it is fetched again. */
export const CATALOG_TTL_MS = 5 * 60_000;

interface Entry {
  catalog: Catalog;
  loadedAt: number;
  expiresAt: number;
}

/**
 * In-process cache of the whole price catalog.
 *
 * Known weakness (see the 03:12 incident): every request that finds the entry expired calls
 * fetchCatalog() itself. There is no single-flight (one loader, others await its promise), no
 * stale-while-revalidate and no TTL jitter, so when the entry expires under load every concurrent
 * request runs the same slow query and the DB pool saturates.
 */
export class PriceCache {
  private entry: Entry | undefined;

  constructor(private readonly ttlMs: number = CATALOG_TTL_MS, private readonly now: () => number = Date.now) {}

  async getCatalog(): Promise<Catalog> {
    const span = startSpan('PriceCache.getCatalog');
    try {
      const entry = this.entry;
      if (entry && entry.expiresAt > this.now()) {
        span.setAttributes({ 'cache.hit': true, 'cache.age_ms': this.now() - entry.loadedAt });
        return entry.catalog;
      }
      span.setAttribute('cache.hit', false);
      const catalog = await inSpan(span, () => fetchCatalog());
      this.store(catalog);
      return catalog;
    } catch (err) {
      failSpan(span, err);
      throw err;
    } finally {
      span.end();
    }
  }

  /** Loads the catalog eagerly, e.g. after the repricing job changed prices. */
  async warm(): Promise<void> {
    const span = startSpan('PriceCache.warm', { attributes: { 'cache.ttl_ms': this.ttlMs } });
    try {
      const catalog = await inSpan(span, () => fetchCatalog());
      this.store(catalog);
      span.setAttribute('cache.expires_at', new Date(this.entry!.expiresAt).toISOString());
    } catch (err) {
      failSpan(span, err);
      throw err;
    } finally {
      span.end();
    }
  }

  private store(catalog: Catalog): void {
    const loadedAt = this.now();
    this.entry = { catalog, loadedAt, expiresAt: loadedAt + this.ttlMs };
  }
}

export const priceCache = new PriceCache();
