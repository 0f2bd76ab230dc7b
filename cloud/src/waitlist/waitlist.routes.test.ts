import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { book, hoursFromNow, type OpsWorld, openOpsWorld, SETUP_TIMEOUT_MS } from '../testing/ops-world.js';
import { type TestApp, testDatabases } from '../testing/test-app.js';
import { WaitlistRepository } from './waitlist.repository.js';
import { DEFAULT_OFFER_TTL_MS, WaitlistService } from './waitlist.service.js';

interface Entry {
  id: string;
  status: string;
  position: number | null;
  offer_booking_id: string | null;
  offer_simulator_id: string | null;
  offer_expires_at: string | null;
}

describe.each(testDatabases())('waitlist API on %s', (kind) => {
  let t: TestApp;
  let w: OpsWorld;
  let third: string;
  /** A second service on the same database, to run the sweep with a clock of our choosing. */
  let service: WaitlistService;
  beforeAll(async () => {
    ({ t, w } = await openOpsWorld(kind));
    const res = await t.request({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: 'third@example.com', password: 'customer-password-3' },
    });
    third = res.json().access_token;
    const s = t.app.services;
    // The app's one writer: a second would be a second queue for the facility.
    service = new WaitlistService(
      t.app.db,
      new WaitlistRepository(t.app.db),
      s.facilityRepository,
      s.availability,
      s.bookingWriter,
    );
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => t?.close());

  const join = (token: string, payload: Record<string, unknown>) =>
    t.request({ method: 'POST', url: '/api/v1/waitlist', token, payload });
  const entries = async (token: string, query = '') => {
    const res = await t.request({ method: 'GET', url: `/api/v1/waitlist${query}`, token });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().entries as Entry[];
  };
  const entry = async (token: string, id: string) => (await entries(token)).find((e) => e.id === id)!;
  const cancel = (token: string, id: string) =>
    t.request({
      method: 'POST',
      url: `/api/v1/bookings/${id}/cancel`,
      token,
      payload: { reason: 'plans changed' },
    });
  /** The offer is made by an after-commit listener: wait for it. */
  const eventually = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 100; i++) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('condition not reached');
  };

  it('offers a cancelled slot to the first in line, then to the next on decline, then frees it on lapse', async () => {
    const start = hoursFromNow(30);
    const booking = await book(t, w.tokens.customer, w.bayA1, start);
    const first = await join(w.tokens.otherCustomer, {
      simulator_id: w.bayA1,
      start_time: start,
      duration: 60,
    });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({
      status: 'waiting',
      position: 1,
      facility_id: w.facilityA,
      simulator_id: w.bayA1,
    });
    const second = await join(third, { simulator_id: w.bayA1, start_time: start, duration: 60 });
    expect(second.json().position).toBe(2);

    expect((await cancel(w.tokens.customer, booking.id)).statusCode).toBe(200);
    await eventually(async () => (await entry(w.tokens.otherCustomer, first.json().id)).status === 'offered');
    const offered = await entry(w.tokens.otherCustomer, first.json().id);
    expect(offered.offer_simulator_id).toBe(w.bayA1);
    const ttl = Date.parse(offered.offer_expires_at!) - Date.now();
    expect(ttl).toBeGreaterThan(DEFAULT_OFFER_TTL_MS - 60_000);
    expect(ttl).toBeLessThanOrEqual(DEFAULT_OFFER_TTL_MS);
    // The hold keeps the slot for the offer: nobody else can book it meanwhile.
    const blocked = await t.request({
      method: 'POST',
      url: '/api/v1/bookings',
      token: w.tokens.customer,
      payload: { simulator_id: w.bayA1, start_time: start, duration: 60 },
    });
    expect(blocked.statusCode).toBe(409);
    expect((await entry(third, second.json().id)).position).toBe(1);

    const declined = await t.request({
      method: 'POST',
      url: `/api/v1/waitlist/${first.json().id}/decline`,
      token: w.tokens.otherCustomer,
    });
    expect(declined.statusCode, declined.body).toBe(200);
    expect(declined.json().status).toBe('cancelled');
    const next = await entry(third, second.json().id);
    expect(next.status).toBe('offered');

    // Nobody answers: after the offer lapses the time is free again.
    await service.sweep(Date.now() + DEFAULT_OFFER_TTL_MS + 60_000);
    expect((await entry(third, second.json().id)).status).toBe('expired');
    await book(t, w.tokens.customer, w.bayA1, start);
  });

  it('offers any freed bay to a facility-wide entry, and accepting books it', async () => {
    const start = hoursFromNow(34);
    await book(t, w.tokens.customer, w.bayA1, start);
    const onA2 = await book(t, w.tokens.customer, w.bayA2, start);
    const joined = await join(w.tokens.otherCustomer, {
      facility_id: w.facilityA,
      start_time: start,
      duration: 60,
    });
    expect(joined.statusCode, joined.body).toBe(201);
    expect(joined.json().simulator_id).toBeNull();

    await cancel(w.tokens.customer, onA2.id);
    await eventually(
      async () => (await entry(w.tokens.otherCustomer, joined.json().id)).status === 'offered',
    );
    const accepted = await t.request({
      method: 'POST',
      url: `/api/v1/waitlist/${joined.json().id}/accept`,
      token: w.tokens.otherCustomer,
    });
    expect(accepted.statusCode, accepted.body).toBe(201);
    expect(accepted.json()).toMatchObject({ simulator_id: w.bayA2, status: 'confirmed', start_time: start });
    expect(accepted.json().qr_code).toEqual(expect.any(String));
    expect(accepted.json().access_code).toMatch(/^\d{6}$/);
    const after = await entry(w.tokens.otherCustomer, joined.json().id);
    expect(after).toMatchObject({ status: 'accepted', offer_booking_id: accepted.json().id });

    const again = await t.request({
      method: 'POST',
      url: `/api/v1/waitlist/${joined.json().id}/accept`,
      token: w.tokens.otherCustomer,
    });
    expect(again.statusCode).toBe(409);
    const mine = await t.request({
      method: 'GET',
      url: `/api/v1/bookings/${accepted.json().id}`,
      token: w.tokens.otherCustomer,
    });
    expect(mine.statusCode).toBe(200);
  });

  it('refuses an offer accepted after it lapsed, and passes the time on', async () => {
    const start = hoursFromNow(38);
    const booking = await book(t, w.tokens.customer, w.bayB1, start);
    const joined = await join(third, { simulator_id: w.bayB1, start_time: start, duration: 60 });
    await cancel(w.tokens.customer, booking.id);
    await eventually(async () => (await entry(third, joined.json().id)).status === 'offered');
    const principal = t.app.services.tokens.readAccessToken(third);
    await expect(
      service.accept(principal, joined.json().id, Date.now() + DEFAULT_OFFER_TTL_MS + 1),
    ).rejects.toMatchObject({
      code: 'HOLD_EXPIRED',
    });
    expect((await entry(third, joined.json().id)).status).toBe('expired');
    await book(t, w.tokens.customer, w.bayB1, start);
  });

  it('offers time freed by a GDPR erasure like a cancellation', async () => {
    const start = hoursFromNow(54);
    const leaving = await t.request({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: 'leaving@example.com', password: 'customer-password-4' },
    });
    const token = leaving.json().access_token as string;
    await book(t, token, w.bayA2, start);
    const joined = await join(w.tokens.otherCustomer, {
      simulator_id: w.bayA2,
      start_time: start,
      duration: 60,
    });
    const erased = await t.request({
      method: 'DELETE',
      url: `/api/v1/customers/${leaving.json().user.customer_id}`,
      token,
    });
    expect(erased.statusCode).toBe(200);
    await eventually(
      async () => (await entry(w.tokens.otherCustomer, joined.json().id)).status === 'offered',
    );
  });

  it('refuses to wait for a free slot, twice for the same slot, in the past, or without a bay', async () => {
    const start = hoursFromNow(42);
    const free = await join(w.tokens.otherCustomer, {
      simulator_id: w.bayA1,
      start_time: start,
      duration: 60,
    });
    expect(free.statusCode).toBe(409);
    expect(free.json().error.field).toBe('start_time');
    await book(t, w.tokens.customer, w.bayA1, start);
    const anyBay = await join(w.tokens.otherCustomer, {
      facility_id: w.facilityA,
      start_time: start,
      duration: 60,
    });
    expect(anyBay.statusCode).toBe(409);
    expect(anyBay.json().free_simulator_id).toBe(w.bayA2);
    expect(
      (await join(w.tokens.otherCustomer, { simulator_id: w.bayA1, start_time: start, duration: 60 }))
        .statusCode,
    ).toBe(201);
    const keyed = (key: string) =>
      t.request({
        method: 'POST',
        url: '/api/v1/waitlist',
        token: third,
        headers: { 'idempotency-key': key },
        payload: { simulator_id: w.bayA1, start_time: start, duration: 60 },
      });
    const once = await keyed('join-42');
    const retried = await keyed('join-42');
    expect(retried.statusCode).toBe(201);
    expect(retried.json().id).toBe(once.json().id);
    expect(once.json().position).toBe(2);
    const twice = await join(w.tokens.otherCustomer, {
      simulator_id: w.bayA1,
      start_time: start,
      duration: 60,
    });
    expect(twice.statusCode).toBe(409);
    const cases: [Record<string, unknown>, number, string][] = [
      [{ simulator_id: w.bayA1, start_time: '2020-01-01T10:00:00Z', duration: 60 }, 400, 'start_time'],
      [{ start_time: start, duration: 60 }, 400, 'simulator_id'],
      [
        { simulator_id: w.bayA1, facility_id: w.facilityB, start_time: start, duration: 60 },
        400,
        'facility_id',
      ],
      [
        { simulator_id: '00000000-0000-4000-8000-000000000000', start_time: start, duration: 60 },
        404,
        'simulator_id',
      ],
      [{ simulator_id: w.bayA1, start_time: start, duration: 5 }, 400, 'duration'],
      [
        {
          simulator_id: w.bayA1,
          start_time: new Date(Date.parse(start) + 1_800_000).toISOString(),
          duration: 60,
        },
        422,
        'start_time',
      ],
    ];
    for (const [payload, status, field] of cases) {
      const res = await join(w.tokens.otherCustomer, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      expect(res.json().error.field, JSON.stringify(payload)).toBe(field);
    }
  });

  it('lets the customer or the facility staff remove an entry, and lists by role', async () => {
    const start = hoursFromNow(46);
    await book(t, w.tokens.customer, w.bayA2, start);
    const a = (await join(third, { simulator_id: w.bayA2, start_time: start, duration: 60 })).json();
    const b = (
      await join(w.tokens.otherCustomer, { simulator_id: w.bayA2, start_time: start, duration: 60 })
    ).json();
    const del = (id: string, token: string) =>
      t.request({ method: 'DELETE', url: `/api/v1/waitlist/${id}`, token });

    expect((await del(a.id, w.tokens.otherCustomer)).statusCode).toBe(404);
    expect((await del(a.id, w.tokens.staffB)).statusCode).toBe(403);
    const left = await del(a.id, third);
    expect(left.statusCode).toBe(200);
    expect(left.json()).toMatchObject({ status: 'cancelled', position: null });
    expect((await del(a.id, third)).statusCode).toBe(409);
    expect((await entry(w.tokens.otherCustomer, b.id)).position).toBe(1);
    expect((await del(b.id, w.tokens.staffA)).statusCode).toBe(200);

    const staffView = await entries(w.tokens.staffA, `?facility_id=${w.facilityA}&status=cancelled`);
    expect(staffView.map((e) => e.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect((await entries(w.tokens.staffB)).every((e) => e.id !== a.id)).toBe(true);
    const forbidden = await t.request({
      method: 'GET',
      url: `/api/v1/waitlist?facility_id=${w.facilityA}`,
      token: w.tokens.staffB,
    });
    expect(forbidden.statusCode).toBe(403);
    expect((await entries(third)).every((e) => e.id !== b.id)).toBe(true);
    expect((await entries(w.tokens.admin)).length).toBeGreaterThanOrEqual(2);
  });
});
