import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookings, customers } from '../db/schema/index.js';
import { getCustomer } from '../testing/customer-requests.js';
import {
  book,
  headersFor,
  hoursFromNow,
  insertBooking,
  type OpsWorld,
  openOpsWorld,
  SETUP_TIMEOUT_MS,
} from '../testing/ops-world.js';
import { type TestApp, testDatabases } from '../testing/test-app.js';
import { loyaltyPointsFor } from './customer.service.js';

describe('loyaltyPointsFor', () => {
  it('gives 10 points per hour played, rounded down', () => {
    expect(loyaltyPointsFor(0)).toBe(0);
    expect(loyaltyPointsFor(59)).toBe(9);
    expect(loyaltyPointsFor(60)).toBe(10);
    expect(loyaltyPointsFor(150)).toBe(25);
  });
});

describe.each(testDatabases())('customers API on %s', (kind) => {
  let t: TestApp;
  let w: OpsWorld;
  let upcomingA: { id: string };
  let upcomingB: { id: string };
  beforeAll(async () => {
    ({ t, w } = await openOpsWorld(kind));
    upcomingA = await book(t, w.tokens.customer, w.bayA1, hoursFromNow(24));
    upcomingB = await book(t, w.tokens.customer, w.bayB1, hoursFromNow(26));
    const past = (hours: number) => new Date(Date.now() - hours * 3_600_000);
    // Played: 90 min completed + 30 min checked in and over = 120 min → 20 points.
    await insertBooking(t, {
      facilityId: w.facilityA,
      simulatorId: w.bayA1,
      customerId: w.customerId,
      startTime: past(48),
      duration: 90,
    });
    await insertBooking(t, {
      facilityId: w.facilityA,
      simulatorId: w.bayA2,
      customerId: w.customerId,
      startTime: past(30),
      duration: 30,
      status: 'checked_in',
    });
    // Not played: cancelled and no-show bookings earn nothing.
    await insertBooking(t, {
      facilityId: w.facilityA,
      simulatorId: w.bayA1,
      customerId: w.customerId,
      startTime: past(20),
      duration: 60,
      status: 'cancelled',
    });
    await insertBooking(t, {
      facilityId: w.facilityB,
      simulatorId: w.bayB1,
      customerId: w.customerId,
      startTime: past(10),
      duration: 60,
      status: 'no_show',
    });
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => t?.close());

  const get = (id: string, token?: string, headers?: Record<string, string>) =>
    getCustomer(t, id, token, headers);

  it('shows a customer their own profile in the seed shape', async () => {
    const res = await get(w.customerId, w.tokens.customer);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(
      [
        'booking_history',
        'email',
        'id',
        'loyalty_points',
        'preferences',
        'profile',
        'upcoming_bookings',
      ].sort(),
    );
    expect(body.id).toBe(w.customerId);
    expect(body.email).toMatch(/^casey-/);
    expect(body.profile).toMatchObject({
      first_name: 'Casey',
      last_name: 'Golfer',
      phone: '+14165550100',
      total_bookings: 2,
    });
    expect(body.upcoming_bookings.map((b: { id: string }) => b.id)).toEqual([upcomingA.id, upcomingB.id]);
    // Upcoming bookings carry the door credential; history is most recent first.
    expect(body.upcoming_bookings[0].qr_code).toEqual(expect.any(String));
    expect(body.booking_history.map((b: { status: string }) => b.status)).toEqual([
      'no_show',
      'cancelled',
      'checked_in',
      'completed',
    ]);
    expect(body.loyalty_points).toBe(20);
  });

  it('answers another customer with 404, anonymous with 401 and an edge with 403', async () => {
    expect((await get(w.customerId, w.tokens.otherCustomer)).statusCode).toBe(404);
    expect((await get(w.customerId)).statusCode).toBe(401);
    expect((await get(w.customerId, undefined, headersFor(w, 'edgeA'))).statusCode).toBe(403);
  });

  it('shows staff only the bookings at their facility', async () => {
    const a = await get(w.customerId, w.tokens.staffA);
    expect(a.statusCode).toBe(200);
    expect(a.json().upcoming_bookings.map((b: { id: string }) => b.id)).toEqual([upcomingA.id]);
    expect(a.json().booking_history).toHaveLength(3);
    const b = await get(w.customerId, w.tokens.staffB);
    expect(b.json().upcoming_bookings.map((x: { id: string }) => x.id)).toEqual([upcomingB.id]);
    expect(b.json().booking_history.map((x: { status: string }) => x.status)).toEqual(['no_show']);
    // Loyalty is the customer's, whoever looks.
    expect(b.json().loyalty_points).toBe(20);
  });

  it('refuses staff a customer who never booked at their facility', async () => {
    const res = await get(w.otherCustomerId, w.tokens.staffA);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
  });

  it('lets an admin see anyone, and answers an unknown id with 404', async () => {
    expect((await get(w.otherCustomerId, w.tokens.admin)).statusCode).toBe(200);
    const missing = await get('00000000-0000-4000-8000-000000000000', w.tokens.admin);
    expect(missing.statusCode).toBe(404);
    const bad = await get('not-a-uuid', w.tokens.admin);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('id');
  });

  describe('preferences', () => {
    const patch = (id: string, token: string, payload: unknown) =>
      t.request({
        method: 'PATCH',
        url: `/api/v1/customers/${id}/preferences`,
        token,
        payload: payload as object,
      });

    it('stores the seed body and merges later changes key by key', async () => {
      const first = await patch(w.customerId, w.tokens.customer, {
        preferred_simulator: w.bayA2,
        preferred_times: ['evening', 'weekend'],
        notifications: { email: true, sms: true, push: false },
      });
      expect(first.statusCode).toBe(200);
      expect(first.json().preferences).toEqual({
        preferred_simulator: w.bayA2,
        preferred_times: ['evening', 'weekend'],
        notifications: { email: true, sms: true, push: false },
      });
      const second = await patch(w.customerId, w.tokens.customer, { notifications: { sms: false } });
      expect(second.json().preferences).toEqual({
        preferred_simulator: w.bayA2,
        preferred_times: ['evening', 'weekend'],
        notifications: { email: true, sms: false, push: false },
      });
      const cleared = await patch(w.customerId, w.tokens.staffA, { preferred_simulator: null });
      expect(cleared.statusCode).toBe(200);
      expect(cleared.json().preferences.preferred_simulator).toBeNull();
      expect((await get(w.customerId, w.tokens.customer)).json().preferences.notifications.sms).toBe(false);
    });

    it('refuses bad bodies with a 400 naming the field, and changes nothing', async () => {
      const before = (await get(w.customerId, w.tokens.customer)).json().preferences;
      const cases: [unknown, string][] = [
        [{ preferred_times: ['midnight'] }, 'preferred_times.0'],
        [{ preferred_simulator: 'bay-1' }, 'preferred_simulator'],
        [{ notifications: { email: 'yes' } }, 'notifications.email'],
        [{ notifications: { fax: true } }, 'notifications.fax'],
        // The door PIN must reach the customer by email or SMS.
        [{ notifications: { email: false, sms: false } }, 'notifications'],
        [{ favourite_colour: 'green' }, 'favourite_colour'],
        [{ preferred_simulator: '00000000-0000-4000-8000-000000000000' }, 'preferred_simulator'],
      ];
      for (const [payload, field] of cases) {
        const res = await patch(w.customerId, w.tokens.customer, payload);
        expect(res.statusCode, JSON.stringify(payload)).toBe(400);
        expect(res.json().error.field).toBe(field);
      }
      const empty = await patch(w.customerId, w.tokens.customer, {});
      expect(empty.statusCode).toBe(400);
      expect((await get(w.customerId, w.tokens.customer)).json().preferences).toEqual(before);
    });

    it('applies the same access rules as reading', async () => {
      expect(
        (await patch(w.customerId, w.tokens.otherCustomer, { preferred_times: ['morning'] })).statusCode,
      ).toBe(404);
      expect(
        (await patch(w.otherCustomerId, w.tokens.staffA, { preferred_times: ['morning'] })).statusCode,
      ).toBe(403);
      expect(
        (await patch(w.otherCustomerId, w.tokens.admin, { preferred_times: ['morning'] })).statusCode,
      ).toBe(200);
    });
  });

  describe('GDPR', () => {
    it('exports everything held about the customer, without password hashes', async () => {
      const res = await t.request({
        method: 'GET',
        url: `/api/v1/customers/${w.customerId}/export`,
        token: w.tokens.customer,
      });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.customer).toMatchObject({ id: w.customerId, first_name: 'Casey', phone: '+14165550100' });
      expect(body.accounts).toHaveLength(1);
      expect(body.accounts[0]).toMatchObject({ role: 'customer' });
      expect(JSON.stringify(body)).not.toContain('password');
      expect(body.bookings).toHaveLength(6);
      expect(body.bookings[0]).toHaveProperty('facility_name');
      // QR and PIN of both upcoming bookings.
      expect(
        body.access_tokens.filter((x: { booking_id: string }) => x.booking_id === upcomingA.id),
      ).toHaveLength(2);
    });

    it('lets only the customer or an admin export or erase', async () => {
      for (const [method, suffix] of [
        ['GET', '/export'],
        ['DELETE', ''],
      ] as const) {
        const url = `/api/v1/customers/${w.customerId}${suffix}`;
        expect((await t.request({ method, url, token: w.tokens.staffA })).statusCode).toBe(403);
        expect((await t.request({ method, url, token: w.tokens.otherCustomer })).statusCode).toBe(404);
        expect((await t.request({ method, url })).statusCode).toBe(401);
      }
      const admin = await t.request({
        method: 'GET',
        url: `/api/v1/customers/${w.otherCustomerId}/export`,
        token: w.tokens.admin,
      });
      expect(admin.statusCode).toBe(200);
    });

    it('erases personal data, keeps bookings, cancels future ones and revokes their credentials', async () => {
      const before = await t.app.services.changeLog.cursor(w.facilityA);
      const res = await t.request({
        method: 'DELETE',
        url: `/api/v1/customers/${w.customerId}`,
        token: w.tokens.customer,
      });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.cancelled_bookings.sort()).toEqual([upcomingA.id, upcomingB.id].sort());
      expect(body.revoked_credentials).toBe(4);
      expect(body.disabled_accounts).toBe(1);

      // The booking rows stay, cancelled, still pointing at the (anonymous) customer.
      const booking = await t.request({
        method: 'GET',
        url: `/api/v1/bookings/${upcomingA.id}`,
        token: w.tokens.admin,
      });
      expect(booking.json()).toMatchObject({ status: 'cancelled', customer_id: w.customerId, qr_code: null });

      // The edge is told: the booking changed and its credential is revoked; the customer is blanked.
      const feed = await t.app.services.changeLog.after(w.facilityA, before.lastSeq, 100);
      const revocation = feed.find((c) => c.entity === 'revocation' && c.entity_id === upcomingA.id);
      expect(revocation?.data).toMatchObject({ booking_id: upcomingA.id, reason: 'customer_erased' });
      expect(feed.find((c) => c.entity === 'booking' && c.entity_id === upcomingA.id)?.data).toMatchObject({
        status: 'cancelled',
      });
      const customerChange = feed.find((c) => c.entity === 'customer' && c.entity_id === w.customerId);
      expect(customerChange?.data).toMatchObject({ first_name: null, phone: null });

      // No personal data is left; the account cannot log in; the profile is gone.
      const exported = await t.request({
        method: 'GET',
        url: `/api/v1/customers/${w.customerId}`,
        token: w.tokens.admin,
      });
      expect(exported.statusCode).toBe(404);
      expect(exported.json().error.message).toContain('erased');
      const again = await t.request({
        method: 'DELETE',
        url: `/api/v1/customers/${w.customerId}`,
        token: w.tokens.admin,
      });
      expect(again.statusCode).toBe(404);
      const history = await t.request({
        method: 'GET',
        url: `/api/v1/bookings?facility_id=${w.facilityA}&limit=200`,
        token: w.tokens.admin,
      });
      const mine = history
        .json()
        .bookings.filter((b: { customer_id: string }) => b.customer_id === w.customerId);
      expect(mine.length).toBe(4);
    });

    it("takes the refunds of the bookings it cancels off the customer's total spent, like a cancellation", async () => {
      // The other customer: one booking with a full refund (days ahead), one refunded in part or not
      // at all (within the facility's free-cancellation window), one played and kept.
      const far = await book(t, w.tokens.otherCustomer, w.bayA1, hoursFromNow(24 * 6));
      const soon = await book(t, w.tokens.otherCustomer, w.bayA2, hoursFromNow(3));
      await insertBooking(t, {
        facilityId: w.facilityA,
        simulatorId: w.bayA1,
        customerId: w.otherCustomerId,
        startTime: new Date(Date.now() - 72 * 3_600_000),
        duration: 60,
      });
      const spent = async () => {
        const [row] = await t.app.db
          .select({ cents: customers.totalSpentCents })
          .from(customers)
          .where(eq(customers.id, w.otherCustomerId));
        return row!.cents;
      };
      const before = await spent();
      expect(before).toBeGreaterThanOrEqual(far.price_cents + soon.price_cents);

      const res = await t.request({
        method: 'DELETE',
        url: `/api/v1/customers/${w.otherCustomerId}`,
        token: w.tokens.admin,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().cancelled_bookings.sort()).toEqual([far.id, soon.id].sort());
      const refunds = await t.app.db
        .select({ id: bookings.id, refund: bookings.refundCents })
        .from(bookings)
        .where(inArray(bookings.id, [far.id, soon.id]));
      const refunded = refunds.reduce((sum, r) => sum + (r.refund ?? 0), 0);
      expect(refunds.find((r) => r.id === far.id)?.refund).toBe(far.price_cents);
      // The erased customer's profile answers 404: the record is read directly.
      expect(await spent()).toBe(before - refunded);
    });
  });
});
