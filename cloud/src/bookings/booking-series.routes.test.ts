import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFacility, type FacilityFixture, utcSlot } from '../testing/facility.js';
import { expectRefused } from '../testing/refusal.js';
import { createTestApp, type TestApp, testDatabases } from '../testing/test-app.js';

describe.each(testDatabases())('recurring and group bookings on %s', (kind) => {
  let t: TestApp;
  let f: FacilityFixture;
  let other: FacilityFixture;
  const customer = { email: 'league@example.com', first_name: 'League' };
  const WEEK = 7 * 86_400_000;

  beforeAll(async () => {
    t = await createTestApp(kind);
    f = await createFacility(t, { bays: 3, maxAdvanceDays: 120 });
    other = await createFacility(t, { name: 'Elsewhere', bays: 1 });
  });
  afterAll(async () => t?.close());

  const count = async (facilityId: string) => {
    const admin = await t.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: t.config.adminEmail, password: t.config.adminPassword },
    });
    const res = await t.request({
      method: 'GET',
      url: `/api/v1/bookings?facility_id=${facilityId}&limit=200&status=confirmed`,
      token: admin.json().access_token,
    });
    return res.json().bookings.length as number;
  };
  /** An hour's group booking of `simulator_ids` for the suite's customer. */
  const bookGroup = (simulator_ids: (string | undefined)[], start_time: string) =>
    t.request({
      method: 'POST',
      url: '/api/v1/bookings/group',
      payload: { simulator_ids, start_time, duration: 60, customer },
    });
  /** An hour's weekly series of four for the suite's customer. */
  const bookFourWeeks = (simulator_id: string | undefined, start_time: string, extra: object = {}) =>
    t.request({
      method: 'POST',
      url: '/api/v1/bookings/recurring',
      payload: {
        simulator_id,
        start_time,
        duration: 60,
        customer,
        recurrence: { freq: 'weekly', count: 4 },
        ...extra,
      },
    });
  const plusWeeks = (iso: string, n: number) => new Date(Date.parse(iso) + n * WEEK).toISOString();

  it('books every weekly occurrence in one series', async () => {
    const res = await bookFourWeeks(f.bayIds[0], utcSlot(2, 18));
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.type).toBe('recurring');
    expect(body.bookings.map((b: { start_time: string }) => b.start_time)).toEqual(
      [0, 1, 2, 3].map((n) => plusWeeks(utcSlot(2, 18), n)),
    );
    expect(new Set(body.bookings.map((b: { series_id: string }) => b.series_id))).toEqual(
      new Set([body.series_id]),
    );
    expect(body.bookings.every((b: { access_code: string }) => /^\d{6}$/.test(b.access_code))).toBe(true);
    expect(body.conflicts).toEqual([]);
  });

  it('all_or_nothing (default): one taken occurrence → 409 listing it, nothing written', async () => {
    const taken = plusWeeks(utcSlot(2, 20), 2);
    const single = await t.request({
      method: 'POST',
      url: '/api/v1/bookings',
      payload: { simulator_id: f.bayIds[1], start_time: taken, duration: 60, customer: { email: 'x@y.co' } },
    });
    expect(single.statusCode).toBe(201);
    const before = await count(f.facilityId);
    const res = await bookFourWeeks(f.bayIds[1], utcSlot(2, 20));
    expect(res.statusCode).toBe(409);
    expect(res.json().conflicts).toHaveLength(1);
    expect(res.json().conflicts[0]).toMatchObject({ start_time: taken, reason: 'conflict' });
    expect(await count(f.facilityId)).toBe(before);

    const partial = await bookFourWeeks(f.bayIds[1], utcSlot(2, 20), { all_or_nothing: false });
    expect(partial.statusCode, partial.body).toBe(201);
    expect(partial.json().bookings).toHaveLength(3);
    expect(partial.json().conflicts).toHaveLength(1);
    expect(await count(f.facilityId)).toBe(before + 3);
  });

  it('validates the recurrence rule', async () => {
    const base = { simulator_id: f.bayIds[2], start_time: utcSlot(3, 8), duration: 60, customer };
    await expectRefused(
      t,
      {
        method: 'POST',
        url: '/api/v1/bookings/recurring',
        payload: { ...base, recurrence: { freq: 'weekly' } },
      },
      400,
      'recurrence.count',
    );
    const badFreq = await t.request({
      method: 'POST',
      url: '/api/v1/bookings/recurring',
      payload: { ...base, recurrence: { freq: 'daily', count: 2 } },
    });
    expect(badFreq.statusCode).toBe(400);
    expect(badFreq.json().error.field).toMatch(/^recurrence/);
  });

  it('books several bays at once, and none when one is taken', async () => {
    const ok = await t.request({
      method: 'POST',
      url: '/api/v1/bookings/group',
      payload: { simulator_ids: f.bayIds, start_time: utcSlot(4, 12), duration: 120, customer },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().type).toBe('group');
    expect(
      ok
        .json()
        .bookings.map((b: { simulator_id: string }) => b.simulator_id)
        .sort(),
    ).toEqual([...f.bayIds].sort());

    const before = await count(f.facilityId);
    const clash = await bookGroup([f.bayIds[0], f.bayIds[1]], utcSlot(4, 13));
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error.field).toBe('simulator_ids');
    expect(clash.json().conflicts).toHaveLength(2);
    expect(await count(f.facilityId)).toBe(before);
  });

  it('refuses a group across facilities, with duplicates, or with an unknown bay', async () => {
    const mixed = await bookGroup([f.bayIds[0], other.bayIds[0]], utcSlot(5, 12));
    expect(mixed.statusCode).toBe(400);
    expect(mixed.json().error.field).toBe('simulator_ids');
    const dup = await bookGroup([f.bayIds[0], f.bayIds[0]], utcSlot(5, 12));
    expect(dup.statusCode).toBe(400);
    const unknown = await bookGroup([f.bayIds[0], '00000000-0000-4000-8000-000000000000'], utcSlot(5, 12));
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.field).toBe('simulator_ids');
  });
});
