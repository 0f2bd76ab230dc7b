import { randomUUID } from 'node:crypto';
import { generateBookingCode } from '@clubos/shared/credentials';
import { and, eq, inArray, ne } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCustomerTotals } from '../customers/customer-totals.js';
import { bookings, customers } from '../db/schema/index.js';
import { utcSlot } from '../testing/facility.js';
import {
  book,
  headersFor,
  insertBooking,
  type OpsWorld,
  openOpsWorld,
  type Role,
  SETUP_TIMEOUT_MS,
} from '../testing/ops-world.js';
import { type TestApp, testDatabases } from '../testing/test-app.js';

const PRICE_CENTS = 4500;

// A pending booking (never confirmed) and a checkout hold were never added to the customer's
// running totals, so no way of cancelling them may take a refund off: the customer's other spend
// must stay whole. Every booking here is days ahead, where the default policy refunds in full.
describe.each(testDatabases())('cancelling a booking the totals never counted on %s', (kind) => {
  let t: TestApp;
  let w: OpsWorld;
  let day = 2;

  beforeAll(async () => {
    ({ t, w } = await openOpsWorld(kind));
    // Spend on record from bookings played before, so a wrong refund cannot hide at the 0 floor.
    for (const id of [w.customerId, w.otherCustomerId]) await addCustomerTotals(t.app.db, id, 4, 40_000);
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => t?.close());

  /** The customers row itself (an erased customer's profile answers 404). */
  const totals = async (customerId: string) => {
    const [row] = await t.app.db
      .select({ bookings: customers.totalBookings, spent: customers.totalSpentCents })
      .from(customers)
      .where(eq(customers.id, customerId));
    return row!;
  };
  /** Written directly: no API path leaves a non-hold booking pending (imported data can). */
  const pending = (
    customerId: string,
    extra: { seriesId?: string; type?: string; referenceCode?: string } = {},
  ) =>
    insertBooking(t, {
      facilityId: w.facilityA,
      simulatorId: w.bayA1,
      customerId,
      startTime: new Date(utcSlot(day++, 10)),
      duration: 60,
      status: 'pending',
      priceCents: PRICE_CENTS,
      ...extra,
    });
  const cancel = (id: string, headers: Record<string, string>, url = `/api/v1/bookings/${id}/cancel`) =>
    t.request({ method: 'POST', url, headers, payload: {} });

  // The edge's upload protocol has no cancellation event: an edge cancels here, with its key.
  it.each<Role>(['customer', 'staffA', 'admin', 'edgeA'])(
    'a pending booking cancelled by %s keeps the totals as they were',
    async (role) => {
      const before = await totals(w.customerId);
      const row = await pending(w.customerId);
      const res = await cancel(row.id, headersFor(w, role));
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().booking.status).toBe('cancelled');
      expect(await totals(w.customerId)).toEqual(before);
    },
  );

  it('a pending occurrence of a series or group cancelled keeps the totals as they were', async () => {
    const before = await totals(w.customerId);
    for (const type of ['recurring', 'group']) {
      const seriesId = randomUUID();
      const first = await pending(w.customerId, { seriesId, type });
      await pending(w.customerId, { seriesId, type });
      const res = await cancel(first.id, headersFor(w, 'customer'));
      expect(res.statusCode, res.body).toBe(200);
    }
    expect(await totals(w.customerId)).toEqual(before);
  });

  it("a guest's manage link cancelling a pending booking keeps the guest record's totals", async () => {
    const email = `pending-guest-${kind}@example.com`;
    const booked = await t.request({
      method: 'POST',
      url: '/api/v1/bookings',
      payload: { simulator_id: w.bayA2, start_time: utcSlot(21, 9), duration: 60, customer: { email } },
    });
    expect(booked.statusCode, booked.body).toBe(201);
    const guestId = booked.json().customer_id as string;
    const before = await totals(guestId);
    expect(before.spent).toBe(PRICE_CENTS);
    // A code the manage link accepts (the direct write's default is not one).
    const row = await pending(guestId, { referenceCode: generateBookingCode() });
    const lookup = await t.request({
      method: 'POST',
      url: '/api/v1/bookings/lookup',
      payload: { reference_code: row.referenceCode, email },
    });
    expect(lookup.statusCode, lookup.body).toBe(200);
    const res = await cancel(
      row.id,
      { 'x-manage-token': lookup.json().manage_token },
      `/api/v1/bookings/${row.id}/manage/cancel`,
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(await totals(guestId)).toEqual(before);
  });

  it('a checkout hold cannot be cancelled as a booking; releasing it keeps the totals', async () => {
    const before = await totals(w.customerId);
    const held = await t.request({
      method: 'POST',
      url: '/api/v1/holds',
      headers: headersFor(w, 'customer'),
      payload: { simulator_id: w.bayA1, start_time: utcSlot(day++, 10), duration: 60 },
    });
    expect(held.statusCode, held.body).toBe(201);
    const id = held.json().id as string;
    expect((await cancel(id, headersFor(w, 'customer'))).statusCode).toBe(404);
    const released = await t.request({
      method: 'DELETE',
      url: `/api/v1/holds/${id}`,
      headers: headersFor(w, 'customer'),
    });
    expect(released.statusCode, released.body).toBe(200);
    expect(await totals(w.customerId)).toEqual(before);
  });

  it("a waitlist offer's hold, left unanswered by leaving the line, keeps the totals", async () => {
    const start = utcSlot(day++, 10);
    const taken = await book(t, w.tokens.otherCustomer, w.bayA1, start);
    const joined = await t.request({
      method: 'POST',
      url: '/api/v1/waitlist',
      headers: headersFor(w, 'customer'),
      payload: { simulator_id: w.bayA1, start_time: start, duration: 60 },
    });
    expect(joined.statusCode, joined.body).toBe(201);
    const before = await totals(w.customerId);
    expect((await cancel(taken.id, { authorization: `Bearer ${w.tokens.otherCustomer}` })).statusCode).toBe(
      200,
    );
    // The offer (a hold in the customer's name) is made by an after-commit listener.
    let offer: string | null = null;
    for (let i = 0; i < 100 && !offer; i++) {
      const list = await t.request({
        method: 'GET',
        url: '/api/v1/waitlist',
        headers: headersFor(w, 'customer'),
      });
      offer = list.json().entries.find((e: { id: string }) => e.id === joined.json().id)?.offer_booking_id;
      if (!offer) await new Promise((r) => setTimeout(r, 50));
    }
    expect(offer).toEqual(expect.any(String));
    expect((await cancel(offer!, headersFor(w, 'customer'))).statusCode).toBe(404);
    const left = await t.request({
      method: 'DELETE',
      url: `/api/v1/waitlist/${joined.json().id}`,
      headers: headersFor(w, 'customer'),
    });
    expect(left.statusCode, left.body).toBe(200);
    expect(await totals(w.customerId)).toEqual(before);
  });

  it("an erasure cancelling a pending booking takes off only the confirmed bookings' refunds", async () => {
    await book(t, w.tokens.otherCustomer, w.bayA1, utcSlot(day++, 10));
    const never = await pending(w.otherCustomerId);
    const before = await totals(w.otherCustomerId);
    const res = await t.request({
      method: 'DELETE',
      url: `/api/v1/customers/${w.otherCustomerId}`,
      headers: headersFor(w, 'admin'),
    });
    expect(res.statusCode, res.body).toBe(200);
    const cancelled: string[] = res.json().cancelled_bookings;
    expect(cancelled).toContain(never.id);
    const refunds = await t.app.db
      .select({ cents: bookings.refundCents })
      .from(bookings)
      .where(and(inArray(bookings.id, cancelled), ne(bookings.id, never.id)));
    const refunded = refunds.reduce((sum, r) => sum + (r.cents ?? 0), 0);
    // Days ahead, every confirmed one is refunded in full; the pending one changes nothing.
    expect(refunded).toBe(refunds.length * PRICE_CENTS);
    expect(await totals(w.otherCustomerId)).toEqual({
      bookings: before.bookings,
      spent: before.spent - refunded,
    });
  });
});
