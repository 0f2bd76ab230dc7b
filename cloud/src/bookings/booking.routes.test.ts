import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFacility,
  type FacilityFixture,
  openVenue,
  type Tokens,
  utcSlot,
} from '../testing/facility.js';
import { expectRefused } from '../testing/refusal.js';
import { createTestApp, type TestApp, testDatabases } from '../testing/test-app.js';

describe.each(testDatabases())('bookings API on %s', { timeout: 120_000 }, (kind) => {
  let t: TestApp;
  let f: FacilityFixture;
  let other: FacilityFixture;
  let u: Tokens;
  const guest = { email: 'guest@example.com', first_name: 'Gus', last_name: 'Guest', phone: '+14165550001' };

  beforeAll(async () => {
    ({ t, f, other, u } = await openVenue(kind, {
      facility: {
        bays: 3,
        settings: { cancellation_policy: { free_until_hours: 24, late_refund_percent: 50 } },
      },
      other: { name: 'Other Golf' },
    }));
  });
  afterAll(async () => t?.close());

  const book = (
    payload: Record<string, unknown>,
    options: { token?: string; headers?: Record<string, string> } = {},
  ) => t.request({ method: 'POST', url: '/api/v1/bookings', payload, ...options });
  /** An hour's guest booking, on the first bay unless another is named. */
  const bookGuest = (start_time: string, simulator_id = f.bayIds[0]) =>
    book({ simulator_id, start_time, duration: 60, customer: guest });

  it('books as a guest with the seed body: confirmed, priced, with PIN, QR and reference code', async () => {
    const res = await book({
      simulator_id: f.bayIds[0],
      start_time: utcSlot(2, 10),
      duration: 90,
      customer: guest,
      preferences: { equipment: ['driver', 'irons'], climate: 'moderate' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const b = res.json();
    expect(b).toMatchObject({
      simulator_id: f.bayIds[0],
      facility_id: f.facilityId,
      start_time: utcSlot(2, 10),
      end_time: new Date(Date.parse(utcSlot(2, 10)) + 90 * 60_000).toISOString(),
      duration: 90,
      status: 'confirmed',
      type: 'single',
      price: 60,
      price_cents: 6000,
      preferences: { equipment: ['driver', 'irons'], climate: 'moderate' },
    });
    expect(b.access_code).toMatch(/^\d{6}$/);
    expect(b.reference_code).toMatch(/^[2-9A-HJ-NP-Z]{6}$/);
    expect(b.qr_code).toMatch(/^CB1\./);
    expect(b.customer_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('links a second guest checkout to the same customer by email (case-insensitive)', async () => {
    const first = await bookGuest(utcSlot(2, 10), f.bayIds[1]);
    const second = await book({
      simulator_id: f.bayIds[1],
      start_time: utcSlot(2, 12),
      duration: 60,
      customer: { email: 'GUEST@example.com' },
    });
    expect(second.statusCode).toBe(201);
    expect(second.json().customer_id).toBe(first.json().customer_id);
  });

  it('requires customer details for a guest and books a logged-in customer as themself', async () => {
    const anonymous = await book({ simulator_id: f.bayIds[2], start_time: utcSlot(3, 9), duration: 60 });
    expect(anonymous.statusCode).toBe(400);
    expect(anonymous.json().error.field).toBe('customer');
    const mine = await book(
      { simulator_id: f.bayIds[2], start_time: utcSlot(3, 9), duration: 60 },
      { token: u.customer },
    );
    expect(mine.statusCode).toBe(201);
    expect(mine.json().customer_id).toBe(u.customerId);
  });

  it('answers a taken slot with 409 and the nearest free alternatives', async () => {
    const res = await bookGuest(utcSlot(2, 10));
    expect(res.statusCode).toBe(409);
    const body = res.json();
    expect(body.error).toMatchObject({ code: 'SLOT_UNAVAILABLE', field: 'start_time' });
    expect(body.alternatives.length).toBeGreaterThan(0);
    for (const alt of body.alternatives) {
      const again = await t.request({
        method: 'GET',
        url: `/api/v1/quote?simulator_id=${alt.simulator_id}&start_time=${alt.start_time}&duration=60`,
      });
      expect(again.json().available).toBe(true);
    }
    // Overlapping but not identical also conflicts.
    const overlap = await bookGuest(utcSlot(2, 11));
    expect(overlap.statusCode).toBe(409);
  });

  it('refuses slots that break the rules with 422 naming start_time', async () => {
    const offGrid = await bookGuest(new Date(Date.parse(utcSlot(4, 10)) + 7 * 60_000).toISOString());
    expect(offGrid.statusCode).toBe(422);
    expect(offGrid.json().error.field).toBe('start_time');
    const past = await bookGuest(utcSlot(-1, 10));
    expect(past.statusCode).toBe(422);
    const tooFar = await bookGuest(utcSlot(90, 10));
    expect(tooFar.statusCode).toBe(422);
  });

  it('404s an unknown bay naming simulator_id', async () => {
    const res = await bookGuest(utcSlot(2, 10), '00000000-0000-4000-8000-000000000000');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.field).toBe('simulator_id');
  });

  it('honours Idempotency-Key: same body replays, different body is 422', async () => {
    const headers = { 'idempotency-key': 'key-123' };
    const payload = { simulator_id: f.bayIds[0], start_time: utcSlot(5, 10), duration: 60, customer: guest };
    const first = await book(payload, { headers });
    expect(first.statusCode).toBe(201);
    const replay = await book(payload, { headers });
    expect(replay.statusCode).toBe(201);
    expect(replay.json().id).toBe(first.json().id);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const different = await book({ ...payload, start_time: utcSlot(5, 12) }, { headers });
    expect(different.statusCode).toBe(422);
    expect(different.json().error).toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      field: 'Idempotency-Key',
    });
    const list = await t.request({
      method: 'GET',
      url: `/api/v1/bookings?facility_id=${f.facilityId}&limit=200`,
      token: u.admin,
    });
    expect(
      list.json().bookings.filter((b: { start_time: string }) => b.start_time === utcSlot(5, 12)),
    ).toHaveLength(0);
  });

  it('holds a slot, blocks others, and confirms the hold into a booking', async () => {
    const slot = { simulator_id: f.bayIds[1], start_time: utcSlot(6, 15), duration: 60 };
    const hold = await t.request({
      method: 'POST',
      url: '/api/v1/holds',
      payload: { ...slot, customer: guest },
    });
    expect(hold.statusCode, hold.body).toBe(201);
    expect(hold.json()).toMatchObject({ status: 'pending', access_code: null, qr_code: null });
    expect(Date.parse(hold.json().hold_expires_at)).toBeGreaterThan(Date.now());

    const blocked = await book({ ...slot, customer: { email: 'someone@example.com' } });
    expect(blocked.statusCode).toBe(409);

    const mismatch = await book({ ...slot, duration: 120, hold_id: hold.json().id });
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.json().error.field).toBe('hold_id');

    const confirmed = await book({ ...slot, hold_id: hold.json().id });
    expect(confirmed.statusCode, confirmed.body).toBe(201);
    expect(confirmed.json()).toMatchObject({
      id: hold.json().id,
      status: 'confirmed',
      hold_expires_at: null,
    });
    expect(confirmed.json().access_code).toMatch(/^\d{6}$/);

    const again = await book({ ...slot, hold_id: hold.json().id });
    expect(again.statusCode).toBe(404);
  });

  it('releases a hold, and an expired hold stops blocking (purged before the next insert)', async () => {
    const short = await createTestApp(kind, { holdTtlSeconds: 1 });
    try {
      const fx = await createFacility(short, { bays: 1 });
      const slot = { simulator_id: fx.bayIds[0], start_time: utcSlot(3, 10), duration: 60 };
      const hold = await short.request({
        method: 'POST',
        url: '/api/v1/holds',
        payload: { ...slot, customer: guest },
      });
      expect(hold.statusCode).toBe(201);
      await new Promise((r) => setTimeout(r, 1100));
      const confirmLate = await short.request({
        method: 'POST',
        url: '/api/v1/bookings',
        payload: { ...slot, hold_id: hold.json().id },
      });
      expect(confirmLate.statusCode).toBe(410);
      const booked = await short.request({
        method: 'POST',
        url: '/api/v1/bookings',
        payload: { ...slot, customer: { email: 'late@example.com' } },
      });
      expect(booked.statusCode, booked.body).toBe(201);

      const other = await short.request({
        method: 'POST',
        url: '/api/v1/holds',
        payload: { ...slot, start_time: utcSlot(3, 12), customer: guest },
      });
      const released = await short.request({ method: 'DELETE', url: `/api/v1/holds/${other.json().id}` });
      expect(released.statusCode).toBe(200);
      const free = await short.request({
        method: 'POST',
        url: '/api/v1/bookings',
        payload: { ...slot, start_time: utcSlot(3, 12), customer: guest },
      });
      expect(free.statusCode).toBe(201);
    } finally {
      await short.close();
    }
  });

  it('shows a booking to its customer, staff of its facility and admins only', async () => {
    const created = await book(
      { simulator_id: f.bayIds[2], start_time: utcSlot(7, 9), duration: 60 },
      { token: u.customer },
    );
    const id = created.json().id as string;
    const get = (token?: string) =>
      t.request({ method: 'GET', url: `/api/v1/bookings/${id}`, ...(token ? { token } : {}) });
    expect((await get(u.customer)).statusCode).toBe(200);
    expect((await get(u.staff)).statusCode).toBe(200);
    expect((await get(u.admin)).statusCode).toBe(200);
    expect((await get(u.otherCustomer)).statusCode).toBe(404);
    expect((await get(u.otherStaff)).statusCode).toBe(404);
    expect((await get()).statusCode).toBe(401);
    expect(
      (await t.request({ method: 'GET', url: '/api/v1/bookings/not-a-uuid', token: u.admin })).json().error
        .field,
    ).toBe('id');
  });

  it('lists own bookings for customers and facility bookings for staff', async () => {
    const mine = await t.request({ method: 'GET', url: '/api/v1/bookings', token: u.customer });
    expect(mine.statusCode).toBe(200);
    expect(mine.json().bookings.length).toBeGreaterThan(0);
    expect(mine.json().bookings.every((b: { customer_id: string }) => b.customer_id === u.customerId)).toBe(
      true,
    );
    const staff = await t.request({
      method: 'GET',
      url: `/api/v1/bookings?facility_id=${f.facilityId}`,
      token: u.staff,
    });
    expect(staff.json().bookings.every((b: { facility_id: string }) => b.facility_id === f.facilityId)).toBe(
      true,
    );
    const forbidden = await t.request({
      method: 'GET',
      url: `/api/v1/bookings?facility_id=${f.facilityId}`,
      token: u.otherStaff,
    });
    expect(forbidden.statusCode).toBe(403);
    expect((await t.request({ method: 'GET', url: '/api/v1/bookings' })).statusCode).toBe(401);
  });

  it('cancels with the policy refund, frees the slot, and refuses a second cancel', async () => {
    const created = await book(
      { simulator_id: f.bayIds[0], start_time: utcSlot(8, 10), duration: 60 },
      { token: u.customer },
    );
    const id = created.json().id;
    const byOther = await t.request({
      method: 'POST',
      url: `/api/v1/bookings/${id}/cancel`,
      token: u.otherCustomer,
      payload: {},
    });
    expect(byOther.statusCode).toBe(404);
    const res = await t.request({
      method: 'POST',
      url: `/api/v1/bookings/${id}/cancel`,
      token: u.customer,
      payload: { reason: 'Customer request', refund: true },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      refund_cents: 4000,
      refund: 40,
      policy: { rule: 'free', refund_percent: 100 },
      booking: {
        status: 'cancelled',
        cancellation_reason: 'Customer request',
        refund_cents: 4000,
        qr_code: null,
      },
    });
    const again = await t.request({
      method: 'POST',
      url: `/api/v1/bookings/${id}/cancel`,
      token: u.customer,
      payload: {},
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('INVALID_STATE');
    const rebook = await bookGuest(utcSlot(8, 10));
    expect(rebook.statusCode).toBe(201);
  });

  it('applies the late-cancellation refund and `refund: false`', async () => {
    // Within the 24 h free period: the next hour that still gives the 1 h online notice.
    const start = new Date(Math.ceil((Date.now() + 2 * 3_600_000) / 3_600_000) * 3_600_000).toISOString();
    const late = await book({ simulator_id: f.bayIds[0], start_time: start, duration: 60, customer: guest });
    expect(late.statusCode, late.body).toBe(201);
    const res = await t.request({
      method: 'POST',
      url: `/api/v1/bookings/${late.json().id}/cancel`,
      token: u.staff,
      payload: {},
    });
    expect(res.json()).toMatchObject({ refund_cents: 2000, policy: { rule: 'late', refund_percent: 50 } });
    const waived = await bookGuest(utcSlot(9, 10), f.bayIds[1]);
    const none = await t.request({
      method: 'POST',
      url: `/api/v1/bookings/${waived.json().id}/cancel`,
      token: u.admin,
      payload: { refund: false },
    });
    expect(none.json().refund_cents).toBe(0);
  });

  it('reschedules to a free time and refuses a taken one', async () => {
    const a = await book(
      { simulator_id: f.bayIds[2], start_time: utcSlot(10, 10), duration: 60 },
      { token: u.customer },
    );
    const b = await bookGuest(utcSlot(10, 14), f.bayIds[2]);
    const moved = await t.request({
      method: 'POST',
      url: `/api/v1/bookings/${a.json().id}/reschedule`,
      token: u.customer,
      payload: { start_time: utcSlot(10, 11), duration: 120 },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ start_time: utcSlot(10, 11), duration: 120, price_cents: 8000 });
    expect(moved.json().qr_code).not.toBe(a.json().qr_code);
    const clash = await t.request({
      method: 'POST',
      url: `/api/v1/bookings/${a.json().id}/reschedule`,
      token: u.customer,
      payload: { start_time: utcSlot(10, 14) },
    });
    expect(clash.statusCode).toBe(409);
    expect(b.statusCode).toBe(201);
    await expectRefused(
      t,
      {
        method: 'POST',
        url: `/api/v1/bookings/${a.json().id}/reschedule`,
        token: u.admin,
        payload: { start_time: utcSlot(10, 16), simulator_id: other.bayIds[0] },
      },
      400,
      'simulator_id',
    );
  });
});
