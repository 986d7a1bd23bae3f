import { SpanKind } from '@opentelemetry/api';
import pg from 'pg';
import { failSpan, inSpan, startSpan } from './telemetry';

export interface PoolOptions {
  /** Logical pool name, reported as db.client.connection.pool.name. */
  name: string;
  connectionString: string;
  /** Maximum number of open connections to Postgres. */
  max: number;
  /** How long acquire() waits for a free connection before giving up. */
  acquireTimeoutMillis: number;
}

export const PRICING_DB_POOL: PoolOptions = {
  name: 'pricing-db',
  connectionString: process.env.PRICING_DB_URL ?? 'postgres://pricing@pricing-db.internal:5432/pricing',
  max: 8,
  acquireTimeoutMillis: 3_000,
};

export class PoolTimeoutError extends Error {
  override readonly name = 'PoolTimeoutError';

  constructor(pool: string, waitedMs: number, max: number, waiting: number) {
    super(`timed out after ${waitedMs}ms waiting for a connection from pool "${pool}" (max ${max}, ${waiting} waiting)`);
  }
}

interface Waiter {
  resolve(client: pg.Client | undefined): void;
  timer: NodeJS.Timeout;
}

/** A deliberately small connection pool: FIFO waiters, no queue limit, fixed acquire timeout. */
export class DbPool {
  private readonly idle: pg.Client[] = [];
  private readonly waiters: Waiter[] = [];
  private open = 0;

  constructor(private readonly options: PoolOptions) {}

  get waitingCount(): number {
    return this.waiters.length;
  }

  async acquire(): Promise<pg.Client> {
    const span = startSpan('db.pool.acquire', {
      attributes: {
        'db.client.connection.pool.name': this.options.name,
        'db.client.connection.pool.max': this.options.max,
        'db.client.connection.pool.waiting': this.waiters.length,
      },
    });
    try {
      const idle = this.idle.pop();
      if (idle) return idle;
      if (this.open < this.options.max) {
        this.open++;
        const client = new pg.Client({ connectionString: this.options.connectionString });
        await client.connect();
        return client;
      }
      const client = await this.waitForRelease();
      if (!client) {
        throw new PoolTimeoutError(this.options.name, this.options.acquireTimeoutMillis, this.options.max, this.waiters.length);
      }
      return client;
    } catch (err) {
      failSpan(span, err);
      throw err;
    } finally {
      span.end();
    }
  }

  release(client: pg.Client): void {
    const next = this.waiters.shift();
    if (next) {
      clearTimeout(next.timer);
      next.resolve(client);
    } else {
      this.idle.push(client);
    }
  }

  /** Runs one statement as a CLIENT span named like the semantic conventions ask: "{operation} {table}". */
  async query<R extends pg.QueryResultRow>(client: pg.Client, summary: string, text: string, values: unknown[] = []): Promise<R[]> {
    const span = startSpan(summary, {
      kind: SpanKind.CLIENT,
      attributes: {
        'db.system.name': 'postgresql',
        'db.namespace': 'pricing',
        'db.query.summary': summary,
        'db.query.text': text,
        'server.address': 'pricing-db.internal',
        'server.port': 5432,
      },
    });
    try {
      const result = await inSpan(span, () => client.query<R>(text, values));
      span.setAttribute('db.response.returned_rows', result.rowCount ?? 0);
      return result.rows;
    } catch (err) {
      failSpan(span, err);
      throw err;
    } finally {
      span.end();
    }
  }

  private waitForRelease(): Promise<pg.Client | undefined> {
    return new Promise((resolve) => {
      const waiter: Waiter = {
        resolve,
        timer: setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          resolve(undefined);
        }, this.options.acquireTimeoutMillis),
      };
      this.waiters.push(waiter);
    });
  }
}

export const pool = new DbPool(PRICING_DB_POOL);
