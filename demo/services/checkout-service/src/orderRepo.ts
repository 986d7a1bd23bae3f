import { query } from './db';
import type { CartLine } from './inventoryRepo';

export interface Order {
  id: string;
  totalCents: number;
}

export async function createOrder(orderRef: string, customerId: string, lines: CartLine[], totalCents: number, chargeId: string): Promise<Order> {
  const [row] = await query<{ id: string }>(
    'INSERT orders',
    'INSERT INTO orders (order_ref, customer_id, lines, total_cents, charge_id, status) VALUES ($1, $2, $3, $4, $5, \'placed\') RETURNING id',
    [orderRef, customerId, JSON.stringify(lines), totalCents, chargeId],
  );
  return { id: row.id, totalCents };
}
