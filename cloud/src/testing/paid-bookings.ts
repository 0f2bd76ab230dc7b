import { expect } from 'vitest';
import { holdFor, type StripeHarness } from './stripe.js';

const urls = { successUrl: 'http://site.test/ok', cancelUrl: 'http://site.test/cancel' };

export interface PaidBooking {
  bookingId: string;
  paymentId: string;
  /** What Stripe took (the policy's share of the list price). */
  paidCents: number;
  priceCents: number;
  /** The simulator's PaymentIntent. */
  intentId: string;
}

/** A paid booking as the customer's API shows it once its payment confirmed it. */
export interface ConfirmedPaidBooking {
  id: string;
  price_cents: number;
  start_time: string;
  paymentId: string;
  /** The Stripe PaymentIntent that paid it. */
  intentId: string;
}

/** A policy for a facility through the admin API (`full` unless told). */
export async function setPaymentPolicy(
  h: StripeHarness,
  facilityId: string,
  payload: Record<string, unknown> = { mode: 'full' },
): Promise<void> {
  const res = await h.t.request({
    method: 'PUT',
    url: `/api/v1/admin/facilities/${facilityId}/payment-policy`,
    token: h.w.tokens.admin,
    payload,
  });
  expect(res.statusCode, res.body).toBe(200);
}

/**
 * A hold paid the way a customer pays: `PaymentService.startCheckout`, the card on the simulator's
 * Checkout Session, and its signed webhooks applied by the cloud.
 */
export async function payHold(
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
  const intentId = h.sim.store.checkoutSessions.require(session.id).payment_intent;
  expect(typeof intentId).toBe('string');
  return {
    bookingId: hold.id,
    paymentId: checkout.paymentId,
    paidCents: checkout.amountCents,
    priceCents: hold.price_cents,
    intentId: intentId as string,
  };
}

/** `payHold`, then the booking as its customer reads it: confirmed by the payment's webhook. */
export async function paidBooking(
  h: StripeHarness,
  bayId: string,
  hoursAhead: number,
  card = '4242424242424242',
): Promise<ConfirmedPaidBooking> {
  const paid = await payHold(h, bayId, hoursAhead, card);
  const confirmed = await h.t.request({
    method: 'GET',
    url: `/api/v1/bookings/${paid.bookingId}`,
    token: h.w.tokens.customer,
  });
  expect(confirmed.json().status, confirmed.body).toBe('confirmed');
  return {
    id: paid.bookingId,
    price_cents: paid.priceCents,
    start_time: confirmed.json().start_time,
    paymentId: paid.paymentId,
    intentId: paid.intentId,
  };
}

/** Waits until the cloud has sent what it started in the background, and Stripe's webhooks landed. */
export async function settleRefunds(h: StripeHarness): Promise<void> {
  await h.t.app.services.refundPolicy.idle();
  await h.settle();
}
