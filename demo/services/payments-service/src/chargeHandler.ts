import { trace } from '@opentelemetry/api';
import { json, type HttpRequest, type HttpResult } from './http';
import { authorizeWithPsp } from './pspClient';

interface ChargeBody {
  paymentToken: string;
  amountCents: number;
  currency: string;
  idempotencyKey: string;
}

/** POST /api/charges: authorize the card. Capture happens later, when the order ships. */
export async function handleCreateCharge(req: HttpRequest): Promise<HttpResult> {
  const body = req.body as Partial<ChargeBody> | undefined;
  if (!body?.paymentToken || !body.amountCents || !body.currency || !body.idempotencyKey) {
    return json(400, { error: 'paymentToken, amountCents, currency and idempotencyKey are required' });
  }
  trace.getActiveSpan()?.setAttributes({ 'payments.amount_cents': body.amountCents, 'payments.currency': body.currency });
  const auth = await authorizeWithPsp(body.paymentToken, body.amountCents, body.currency, body.idempotencyKey);
  return json(201, { chargeId: `ch_${auth.id}`, status: auth.outcome === 'approved' ? 'authorized' : 'declined' });
}
