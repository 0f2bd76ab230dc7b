import { ONE_DAY, type SimContext } from './stripe.context.js';
import { newId } from './stripe.store.js';
import type { Charge, PaymentIntent, PaymentMethod } from './stripe.types.js';

/**
 * Charges are the record of each payment attempt on a PaymentIntent (its `latest_charge`). An
 * authorisation (manual capture) must be captured before `capture_before`: 7 days online, in person
 * 5 days for Visa and 2 for other brands (stripe.com/docs/payments/capture-later; the in-person
 * figures are partly unverified).
 */
export function captureWindowSeconds(pm: PaymentMethod): number {
  if (pm.type === 'card_present') return (pm.card_present?.brand === 'visa' ? 5 : 2) * ONE_DAY;
  return 7 * ONE_DAY;
}

export interface Decline {
  code: string;
  declineCode?: string;
  message: string;
}

export function createCharge(
  ctx: SimContext,
  pi: PaymentIntent,
  pm: PaymentMethod,
  outcome: { decline?: Decline },
): Charge {
  const details = pm.type === 'card' ? pm.card : pm.card_present;
  const brandDetails = details
    ? {
        brand: details.brand,
        country: details.country,
        display_brand: details.display_brand,
        exp_month: details.exp_month,
        exp_year: details.exp_year,
        fingerprint: details.fingerprint,
        funding: details.funding,
        last4: details.last4,
      }
    : undefined;
  const manual = pi.capture_method === 'manual';
  const declined = outcome.decline !== undefined;
  const captureBefore = !declined && manual ? { capture_before: ctx.now() + captureWindowSeconds(pm) } : {};
  const charge: Charge = {
    id: newId('ch'),
    object: 'charge',
    amount: pi.amount,
    amount_captured: declined || manual ? 0 : pi.amount,
    amount_refunded: 0,
    balance_transaction: null,
    billing_details: { ...pm.billing_details },
    captured: !declined && !manual,
    created: ctx.now(),
    currency: pi.currency,
    customer: pi.customer,
    description: pi.description,
    disputed: false,
    failure_code: outcome.decline?.code ?? null,
    failure_message: outcome.decline?.message ?? null,
    livemode: false,
    metadata: { ...pi.metadata },
    outcome: declined
      ? {
          network_status: 'declined_by_network',
          reason: outcome.decline?.declineCode ?? outcome.decline?.code ?? null,
          risk_level: 'normal',
          seller_message: 'The bank did not return any further details with this decline.',
          type: 'issuer_declined',
        }
      : {
          network_status: 'approved_by_network',
          reason: null,
          risk_level: 'normal',
          seller_message: 'Payment complete.',
          type: 'authorized',
        },
    paid: !declined,
    payment_intent: pi.id,
    payment_method: pm.id,
    payment_method_details:
      pm.type === 'card'
        ? { type: 'card', card: brandDetails && { ...brandDetails, ...captureBefore } }
        : { type: 'card_present', card_present: brandDetails && { ...brandDetails, ...captureBefore } },
    refunded: false,
    status: declined ? 'failed' : 'succeeded',
  };
  ctx.store.charges.insert(charge);
  pi.latest_charge = charge.id;
  return charge;
}

export function captureBeforeOf(charge: Charge): number | undefined {
  return (charge.payment_method_details.card ?? charge.payment_method_details.card_present)?.capture_before;
}

/** What can still be refunded: captured minus refunds that have not failed or been canceled. */
export function refundable(ctx: SimContext, charge: Charge): number {
  const refunded = ctx.store.refunds
    .all()
    .filter((r) => r.charge === charge.id && r.status !== 'failed' && r.status !== 'canceled')
    .reduce((sum, r) => sum + r.amount, 0);
  return charge.amount_captured - refunded;
}
