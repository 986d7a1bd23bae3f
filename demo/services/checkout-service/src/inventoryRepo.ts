import { query } from './db';

export interface CartLine {
  sku: string;
  quantity: number;
}

export interface Reservation {
  reservationId: string;
  expiresAt: string;
}

export class OutOfStockError extends Error {
  override readonly name = 'OutOfStockError';
}

/** Holds stock for 15 minutes; released by the expiry sweeper if the order is never created. */
export async function reserveItems(orderRef: string, lines: CartLine[]): Promise<Reservation> {
  const rows = await query<{ sku: string }>(
    'UPDATE inventory',
    `UPDATE inventory SET reserved = reserved + l.qty
       FROM unnest($2::text[], $3::int[]) AS l(sku, qty)
      WHERE inventory.sku = l.sku AND inventory.on_hand - inventory.reserved >= l.qty
  RETURNING inventory.sku, $1::text AS order_ref`,
    [orderRef, lines.map((l) => l.sku), lines.map((l) => l.quantity)],
  );
  if (rows.length !== lines.length) {
    throw new OutOfStockError(`only ${rows.length} of ${lines.length} SKUs could be reserved`);
  }
  return { reservationId: `res_${orderRef}`, expiresAt: new Date(Date.now() + 15 * 60_000).toISOString() };
}
