import { expect } from 'vitest';
import { holdFor, type StripeHarness } from './stripe.js';

export interface PaidBooking {
  id: string;
  price_cents: number;
  start_time: string;
  paymentId: string;
  /** The Stripe PaymentIntent that paid it. */
  intentId: string;
}

const urls = { successUrl: 'http://site.test/ok', cancelUrl: 'http://site.test/cancel' };

/**
 * A booking the customer paid online: a hold, its Checkout Session paid on the simulator with
 * `card`, and the signed webhooks applied (which confirm the hold).
 */
export async function paidBooking(
  h: StripeHarness,
  bayId: string,
  hoursAhead: number,
  card = '4242424242424242',
): Promise<PaidBooking> {
  const hold = await holdFor(h, bayId, hoursAhead);
  const checkout = await h.t.app.services.payments.startCheckout(hold.id, urls);
  const session = h.sim.store.checkoutSessions.require(checkout.checkoutUrl.split('/').pop()!);
  h.sim.control.payCheckoutSession(session.id, { number: card });
  await h.settle();
  // The payment's webhook confirms the hold (booking-checkout.service.ts).
  const confirmed = await h.t.request({
    method: 'GET',
    url: `/api/v1/bookings/${hold.id}`,
    token: h.w.tokens.customer,
  });
  expect(confirmed.json().status, confirmed.body).toBe('confirmed');
  const paid = h.sim.store.checkoutSessions.require(session.id);
  return {
    id: hold.id,
    price_cents: hold.price_cents,
    start_time: confirmed.json().start_time,
    paymentId: checkout.paymentId,
    intentId: String(paid.payment_intent),
  };
}

/** Sets a facility's payment policy as the admin. */
export async function setPaymentPolicy(
  h: StripeHarness,
  facilityId: string,
  payload: Record<string, unknown>,
): Promise<void> {
  const res = await h.t.request({
    method: 'PUT',
    url: `/api/v1/admin/facilities/${facilityId}/payment-policy`,
    token: h.w.tokens.admin,
    payload,
  });
  expect(res.statusCode, res.body).toBe(200);
}

/** Waits until the cloud has sent what it started in the background, and Stripe's webhooks landed. */
export async function settleRefunds(h: StripeHarness): Promise<void> {
  await h.t.app.services.refundPolicy.idle();
  await h.settle();
}
