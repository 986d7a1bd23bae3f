import { SpanKind } from '@opentelemetry/api';
import pg from 'pg';
import { failSpan, startSpan } from './telemetry';

const pool = new pg.Pool({
  connectionString: process.env.CHECKOUT_DB_URL ?? 'postgres://checkout@checkout-db.internal:5432/checkout',
  max: 20,
});

/** Runs one statement in a CLIENT span named "{operation} {table}" as the DB semantic conventions ask. */
export async function query<R extends pg.QueryResultRow>(summary: string, text: string, values: unknown[] = []): Promise<R[]> {
  const span = startSpan(summary, {
    kind: SpanKind.CLIENT,
    attributes: {
      'db.system.name': 'postgresql',
      'db.namespace': 'checkout',
      'db.query.summary': summary,
      'db.query.text': text,
      'server.address': 'checkout-db.internal',
      'server.port': 5432,
    },
  });
  try {
    const result = await pool.query<R>(text, values);
    span.setAttribute('db.response.returned_rows', result.rowCount ?? 0);
    return result.rows;
  } catch (err) {
    failSpan(span, err);
    throw err;
  } finally {
    span.end();
  }
}
