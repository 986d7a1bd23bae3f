import { randomUUID } from 'node:crypto';
import { trace } from '@opentelemetry/api';
import { Deadline, DeadlineExceededError } from './deadline';
import { json, type HttpRequest, type HttpResult } from './http';
import { reserveItems, OutOfStockError, type CartLine } from './inventoryRepo';
import { createOrder } from './orderRepo';
import { chargeCard } from './paymentsClient';
import { pricing, type Price } from './pricingClient';

/** The storefront gives up after 3.5 s, so the whole checkout must answer within 3 s. */
export const CHECKOUT_BUDGET_MS = 3_000;

interface CheckoutBody {
  customerId: string;
  paymentToken: string;
  lines: CartLine[];
}

function parseBody(body: unknown): CheckoutBody | undefined {
  const b = body as Partial<CheckoutBody> | undefined;
  if (!b?.customerId || !b.paymentToken || !Array.isArray(b.lines) || b.lines.length === 0) return undefined;
  return b as CheckoutBody;
}

function totalOf(lines: CartLine[], prices: Price[]): { cents: number; currency: string } {
  const bySku = new Map(prices.map((p) => [p.sku, p]));
  const cents = lines.reduce((sum, l) => sum + (bySku.get(l.sku)?.unitPriceCents ?? 0) * l.quantity, 0);
  return { cents, currency: prices[0]?.currency ?? 'EUR' };
}

/** POST /api/checkout: price the cart, reserve stock, charge the card, create the order. */
export async function handleCheckout(req: HttpRequest): Promise<HttpResult> {
  const body = parseBody(req.body);
  if (!body) return json(400, { error: 'customerId, paymentToken and lines are required' });

  const span = trace.getActiveSpan();
  const orderRef = randomUUID();
  span?.setAttributes({ 'checkout.order_ref': orderRef, 'checkout.line_count': body.lines.length });
  const deadline = new Deadline(CHECKOUT_BUDGET_MS);
  try {
    const prices = await deadline.race(pricing.getPrices(body.lines.map((l) => l.sku)), 'pricing');
    const total = totalOf(body.lines, prices);
    await deadline.race(reserveItems(orderRef, body.lines), 'inventory');
    const charge = await deadline.race(chargeCard(body.paymentToken, total.cents, total.currency, orderRef), 'payments');
    if (charge.status === 'declined') return json(402, { error: 'payment declined' });
    const order = await deadline.race(createOrder(orderRef, body.customerId, body.lines, total.cents, charge.chargeId), 'orders');
    span?.setAttribute('checkout.total_cents', total.cents);
    return json(201, { orderId: order.id, totalCents: total.cents, currency: total.currency });
  } catch (err) {
    if (err instanceof DeadlineExceededError) {
      span?.recordException(err);
      return json(504, { error: 'checkout took too long, please try again' }, err.message);
    }
    if (err instanceof OutOfStockError) return json(409, { error: err.message });
    throw err;
  }
}
