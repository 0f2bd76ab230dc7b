import { and, count, eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { accessTokens, bookings } from '../db/schema/bookings.schema.js';
import { changeLog, hubspotOutbox } from '../db/schema/sync.schema.js';
import type { StripeHarness } from './stripe.js';

/** Sets a facility's payment policy through the admin API. */
export async function setPolicy(
  h: StripeHarness,
  facilityId: string,
  policy: Record<string, unknown>,
): Promise<void> {
  const res = await h.t.request({
    method: 'PUT',
    url: `/api/v1/admin/facilities/${facilityId}/payment-policy`,
    token: h.w.tokens.admin,
    payload: policy,
  });
  expect(res.statusCode, res.body).toBe(200);
}

/** `POST /bookings` with a hold's id, as the customer who holds it; the raw answer. */
export async function confirmHoldRequest(
  h: StripeHarness,
  hold: { id: string; simulator_id: string; start_time: string; duration: number },
) {
  return h.t.request({
    method: 'POST',
    url: '/api/v1/bookings',
    token: h.w.tokens.customer,
    payload: {
      hold_id: hold.id,
      simulator_id: hold.simulator_id,
      start_time: hold.start_time,
      duration: hold.duration,
    },
  });
}

/** The Checkout Session id at the end of a hosted page's URL. */
export const sessionIdOf = (checkoutUrl: string) => checkoutUrl.split('/').pop()!;

/** `GET /payments/checkout/return?session_id=` as the browser coming back from Stripe. */
export async function returnFrom(h: StripeHarness, query: string) {
  return h.t.request({ method: 'GET', url: `/api/v1/payments/checkout/return?${query}` });
}

/**
 * How many times a booking was confirmed: its credentials, feed entries and CRM `booking.created`
 * jobs (a payment adds its own `booking.payment` job for the deal amount).
 */
export async function confirmationTraces(h: StripeHarness, bookingId: string) {
  const db = h.t.app.db;
  const [tokens] = await db
    .select({ n: count() })
    .from(accessTokens)
    .where(eq(accessTokens.bookingId, bookingId));
  const [feed] = await db
    .select({ n: count() })
    .from(changeLog)
    .where(and(eq(changeLog.entity, 'booking'), eq(changeLog.entityId, bookingId)));
  const [crm] = await db
    .select({ n: count() })
    .from(hubspotOutbox)
    .where(and(eq(hubspotOutbox.aggregateId, bookingId), eq(hubspotOutbox.kind, 'booking.created')));
  const [row] = await db.select().from(bookings).where(eq(bookings.id, bookingId));
  return { tokens: tokens!.n, feed: feed!.n, crm: crm!.n, row };
}

/** Moves a hold's expiry into the past, as if the customer had taken too long to pay. */
export async function expireHold(h: StripeHarness, bookingId: string, status?: 'expired'): Promise<void> {
  await h.t.app.db
    .update(bookings)
    .set({ holdExpiresAt: new Date(Date.now() - 1_000), ...(status ? { status } : {}) })
    .where(eq(bookings.id, bookingId));
}
