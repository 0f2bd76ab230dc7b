import { randomUUID } from 'node:crypto';
import { generateBookingCode } from '@clubos/shared/credentials';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { utcSlot } from '../testing/facility.js';
import { addGoldMemberRule, GOLD_CENTS, setMemberTier } from '../testing/member-pricing.js';
import {
  book,
  headersFor,
  insertBooking,
  type OpsWorld,
  openOpsWorld,
  SETUP_TIMEOUT_MS,
} from '../testing/ops-world.js';
import { type TestApp, testDatabases } from '../testing/test-app.js';
import { BookingRepository } from './booking.repository.js';

/**
 * Facility A (UTC) charges $45.00/h; its evening peak, 17:00–23:00, costs 20 % more; gold members
 * get 15 % off.
 */
const OFF_PEAK_CENTS = 4500;
const PEAK_CENTS = 5400;

// A customer's running total_spent_cents is what their confirmed bookings cost, less refunds. A
// move that re-prices a booking must carry the difference into the total, so the total always
// equals what it would be had the booking been made at its current price.
describe.each(testDatabases())("a re-priced booking keeps its customer's total spent on %s", (kind) => {
  let t: TestApp;
  let w: OpsWorld;

  const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
    t.request({ method: 'POST', url: `/api/v1${url}`, headers, payload });
  const totals = async (customerId: string) => {
    const res = await t.request({
      method: 'GET',
      url: `/api/v1/customers/${customerId}`,
      token: w.tokens.admin,
    });
    expect(res.statusCode, res.body).toBe(200);
    const { total_bookings, total_spent_cents, last_booking_at } = res.json().profile;
    return { total_bookings, total_spent_cents, last_booking_at } as {
      total_bookings: number;
      total_spent_cents: number;
      last_booking_at: string | null;
    };
  };
  const reschedule = (id: string, payload: object, headers: Record<string, string>) =>
    post(`/bookings/${id}/reschedule`, payload, headers);
  const customerOf = async (bookingId: string) =>
    (await t.request({ method: 'GET', url: `/api/v1/bookings/${bookingId}`, token: w.tokens.admin })).json()
      .customer_id as string;

  beforeAll(async () => {
    ({ t, w } = await openOpsWorld(kind));
    const peak = await t.request({
      method: 'POST',
      url: '/api/v1/admin/pricing-rules',
      token: w.tokens.admin,
      payload: {
        facility_id: w.facilityA,
        name: 'Evening peak',
        type: 'time_based',
        conditions: { start_time: '17:00', end_time: '23:00' },
        price_modifier: 20,
        modifier_type: 'percentage',
        priority: 10,
      },
    });
    expect(peak.statusCode, peak.body).toBe(201);
    // Applies only to customers with the gold tier; none has it until a test gives it.
    await addGoldMemberRule(t, w);
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => t?.close());

  it('a customer moving off-peak to peak pays the peak price in the total; a refund afterwards leaves it consistent', async () => {
    const before = await totals(w.customerId);
    // Another booking first, so a refund larger than the stale total could not hide at the 0 floor.
    await book(t, w.tokens.customer, w.bayA2, utcSlot(2, 9));
    const mine = await book(t, w.tokens.customer, w.bayA1, utcSlot(2, 10));
    expect(mine.price_cents).toBe(OFF_PEAK_CENTS);
    const booked = await totals(w.customerId);
    expect(booked).toMatchObject({
      total_bookings: before.total_bookings + 2,
      total_spent_cents: before.total_spent_cents + 2 * OFF_PEAK_CENTS,
    });

    const headers = { ...headersFor(w, 'customer'), 'idempotency-key': randomUUID() };
    const moved = await reschedule(mine.id, { start_time: utcSlot(2, 18) }, headers);
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().price_cents).toBe(PEAK_CENTS);
    // Only the money moves: the booking was made once, when it was made.
    const afterMove = {
      ...booked,
      total_spent_cents: before.total_spent_cents + OFF_PEAK_CENTS + PEAK_CENTS,
    };
    expect(await totals(w.customerId)).toEqual(afterMove);
    // A replayed reschedule is the first answer again, not a second re-pricing.
    const replay = await reschedule(mine.id, { start_time: utcSlot(2, 18) }, headers);
    expect(replay.statusCode, replay.body).toBe(200);
    expect(await totals(w.customerId)).toEqual(afterMove);

    const cancelled = await post(`/bookings/${mine.id}/cancel`, {}, headersFor(w, 'customer'));
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    // Two days ahead: the default policy refunds the whole (new) price.
    expect(cancelled.json().refund_cents).toBe(PEAK_CENTS);
    expect(await totals(w.customerId)).toEqual({
      ...booked,
      total_spent_cents: before.total_spent_cents + OFF_PEAK_CENTS,
    });
  });

  it('staff moving a peak booking off-peak lower the total by the difference', async () => {
    const before = await totals(w.otherCustomerId);
    const theirs = await book(t, w.tokens.otherCustomer, w.bayA1, utcSlot(3, 19));
    expect(theirs.price_cents).toBe(PEAK_CENTS);
    const moved = await reschedule(
      theirs.id,
      { start_time: utcSlot(3, 11), simulator_id: w.bayA2 },
      headersFor(w, 'staffA'),
    );
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().price_cents).toBe(OFF_PEAK_CENTS);
    expect((await totals(w.otherCustomerId)).total_spent_cents).toBe(
      before.total_spent_cents + OFF_PEAK_CENTS,
    );

    // A move that keeps the price changes nothing.
    const again = await reschedule(theirs.id, { start_time: utcSlot(3, 12) }, headersFor(w, 'staffA'));
    expect(again.statusCode, again.body).toBe(200);
    expect((await totals(w.otherCustomerId)).total_spent_cents).toBe(
      before.total_spent_cents + OFF_PEAK_CENTS,
    );
  });

  it("a guest's manage link moving into the peak raises the guest record's total", async () => {
    const email = `peak-guest-${kind}@example.com`;
    const booked = await post('/bookings', {
      simulator_id: w.bayA1,
      start_time: utcSlot(4, 14),
      duration: 60,
      customer: { email, first_name: 'Gale' },
    });
    expect(booked.statusCode, booked.body).toBe(201);
    const guestId = await customerOf(booked.json().id);
    expect((await totals(guestId)).total_spent_cents).toBe(OFF_PEAK_CENTS);
    const lookup = await post('/bookings/lookup', { reference_code: booked.json().reference_code, email });
    expect(lookup.statusCode, lookup.body).toBe(200);
    const token = { 'x-manage-token': lookup.json().manage_token as string };
    const moved = await post(
      `/bookings/${booked.json().id}/manage/reschedule`,
      { start_time: utcSlot(4, 20) },
      token,
    );
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().price_cents).toBe(PEAK_CENTS);
    expect(await totals(guestId)).toMatchObject({ total_bookings: 1, total_spent_cents: PEAK_CENTS });

    const cancelled = await post(`/bookings/${booked.json().id}/manage/cancel`, {}, token);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(await totals(guestId)).toMatchObject({
      total_bookings: 1,
      total_spent_cents: PEAK_CENTS - cancelled.json().refund_cents,
    });
  });

  it('a booking made before the customer became a member is re-priced at the member price when moved', async () => {
    const email = `future-gold-${kind}@example.com`;
    const desk = await book(t, w.tokens.staffA, w.bayA2, utcSlot(5, 10), 60, { email });
    expect(desk.price_cents).toBe(OFF_PEAK_CENTS);
    const customerId = await customerOf(desk.id);
    await setMemberTier(t, w, customerId, 'gold');
    const moved = await reschedule(desk.id, { start_time: utcSlot(5, 11) }, headersFor(w, 'staffA'));
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().price_cents).toBe(GOLD_CENTS);
    expect(await totals(customerId)).toMatchObject({ total_bookings: 1, total_spent_cents: GOLD_CENTS });
  });

  it('the difference is taken from the locked row: a move decided on a stale read still adds up', async () => {
    const before = await totals(w.customerId);
    const mine = await book(t, w.tokens.customer, w.bayA1, utcSlot(6, 10));
    const stale = await new BookingRepository(t.app.db).findById(mine.id);
    const first = await reschedule(mine.id, { start_time: utcSlot(6, 18) }, headersFor(w, 'customer'));
    expect(first.json().price_cents).toBe(PEAK_CENTS);
    // A concurrent move read the booking before the first one committed (still off-peak).
    const read = vi.spyOn(BookingRepository.prototype, 'findById').mockResolvedValueOnce(stale);
    try {
      const second = await reschedule(mine.id, { start_time: utcSlot(6, 12) }, headersFor(w, 'customer'));
      expect(second.statusCode, second.body).toBe(200);
      expect(second.json().price_cents).toBe(OFF_PEAK_CENTS);
      expect(read).toHaveBeenCalled();
    } finally {
      read.mockRestore();
    }
    expect((await totals(w.customerId)).total_spent_cents).toBe(before.total_spent_cents + OFF_PEAK_CENTS);
  });

  it('a booking not counted yet (pending) moves without touching the total; a total never goes below 0', async () => {
    const before = await totals(w.otherCustomerId);
    const values = {
      facilityId: w.facilityA,
      simulatorId: w.bayA1,
      duration: 60,
      customerId: w.otherCustomerId,
    };
    // Written directly, as no API path leaves a non-hold booking pending: confirming one counts it.
    const pending = await insertBooking(t, {
      ...values,
      startTime: new Date(utcSlot(8, 10)),
      status: 'pending',
      priceCents: OFF_PEAK_CENTS,
    });
    const moved = await reschedule(pending.id, { start_time: utcSlot(8, 18) }, headersFor(w, 'staffA'));
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().price_cents).toBe(PEAK_CENTS);
    expect(await totals(w.otherCustomerId)).toEqual(before);

    // A confirmed booking the total never saw (written outside the booking writes) moves cheaper.
    const uncounted = await insertBooking(t, {
      ...values,
      startTime: new Date(utcSlot(8, 20)),
      status: 'confirmed',
      priceCents: before.total_spent_cents + PEAK_CENTS,
    });
    const cheaper = await reschedule(uncounted.id, { start_time: utcSlot(8, 12) }, headersFor(w, 'staffA'));
    expect(cheaper.statusCode, cheaper.body).toBe(200);
    expect(cheaper.json().price_cents).toBe(OFF_PEAK_CENTS);
    expect(await totals(w.otherCustomerId)).toEqual({ ...before, total_spent_cents: 0 });
  });

  it("an edge re-placing a walk-in at another price carries the difference into the walk-in's customer", async () => {
    const edge = (events: object[]) =>
      post('/edge/events', { v: 1, facility_id: w.facilityA, events }, headersFor(w, 'edgeA'));
    const bookingId = randomUUID();
    const referenceCode = generateBookingCode();
    const walkIn = (start: string, priceCents: number, simulatorId: string) => ({
      v: 1,
      event_id: randomUUID(),
      type: 'walk_in.created',
      occurred_at: new Date().toISOString(),
      facility_id: w.facilityA,
      payload: {
        booking_id: bookingId,
        reference_code: referenceCode,
        simulator_id: simulatorId,
        start_time: start,
        end_time: new Date(Date.parse(start) + 3_600_000).toISOString(),
        duration: 60,
        price_cents: priceCents,
        provisional: true,
        excluded_simulator_ids: [],
        customer: { email: `walker-${kind}@example.com` },
      },
    });
    const first = await edge([walkIn(utcSlot(7, 10), 3500, w.bayA1)]);
    expect(first.json().results[0].status, first.body).toBe('accepted');
    const customerId = await customerOf(bookingId);
    expect(await totals(customerId)).toMatchObject({ total_bookings: 1, total_spent_cents: 3500 });
    const moved = await edge([walkIn(utcSlot(7, 11), 4200, w.bayA2)]);
    expect(moved.json().results[0].status, moved.body).toBe('accepted');
    expect(await totals(customerId)).toMatchObject({ total_bookings: 1, total_spent_cents: 4200 });
  });
});
