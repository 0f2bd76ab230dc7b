import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFacility, type FacilityFixture, loginAdmin, utcSlot } from '../testing/facility.js';
import { createTestApp, type TestApp, testDatabases } from '../testing/test-app.js';

// The exclusion constraint decides races. PGlite serialises connections, so the real race is on
// PostgreSQL (a pool of 20 connections); the same assertions must hold on both.
describe.each(testDatabases())('concurrent bookings on %s', { timeout: 180_000 }, (kind) => {
  let t: TestApp;
  let f: FacilityFixture;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp(kind);
    f = await createFacility(t, { bays: 4, bufferMinutes: 10 });
    token = await loginAdmin(t);
  });
  afterAll(async () => t?.close());

  const activeOn = async (simulatorId: string | undefined) => {
    const res = await t.request({
      method: 'GET',
      url: `/api/v1/bookings?facility_id=${f.facilityId}&limit=200`,
      token,
    });
    return res
      .json()
      .bookings.filter(
        (b: { simulator_id: string; status: string }) =>
          b.simulator_id === simulatorId && b.status === 'confirmed',
      );
  };

  it('50 parallel requests for one bay and time: exactly one 201, the rest 409', async () => {
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t.request({
          method: 'POST',
          url: '/api/v1/bookings',
          payload: {
            simulator_id: f.bayIds[0],
            start_time: utcSlot(3, 10),
            duration: 60,
            customer: { email: `racer${i}@example.com` },
          },
        }),
      ),
    );
    const codes = responses.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(49);
    expect(await activeOn(f.bayIds[0])).toHaveLength(1);
  });

  it('overlapping requests within the buffer also race to exactly one winner', async () => {
    // 12:00–13:00 and 13:00–14:00 are 0 min apart: with a 10 min buffer only one may exist.
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.request({
          method: 'POST',
          url: '/api/v1/bookings',
          payload: {
            simulator_id: f.bayIds[1],
            start_time: utcSlot(3, i % 2 === 0 ? 12 : 13),
            duration: 60,
            customer: { email: `buffer${i}@example.com` },
          },
        }),
      ),
    );
    expect(responses.filter((r) => r.statusCode === 201)).toHaveLength(1);
  });

  it('parallel overlapping group bookings never leave a partial group', async () => {
    const groups = [
      [f.bayIds[0], f.bayIds[1]],
      [f.bayIds[1], f.bayIds[2]],
      [f.bayIds[2], f.bayIds[3]],
      [f.bayIds[3], f.bayIds[0]],
    ];
    const responses = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        t.request({
          method: 'POST',
          url: '/api/v1/bookings/group',
          payload: {
            simulator_ids: groups[i % groups.length],
            start_time: utcSlot(4, 9),
            duration: 60,
            customer: { email: `group${i}@example.com` },
          },
        }),
      ),
    );
    expect(responses.every((r) => r.statusCode === 201 || r.statusCode === 409)).toBe(true);
    const winners = responses.filter((r) => r.statusCode === 201).map((r) => r.json());
    expect(winners.length).toBeGreaterThanOrEqual(1);
    expect(winners.length).toBeLessThanOrEqual(2);
    const res = await t.request({
      method: 'GET',
      url: `/api/v1/bookings?facility_id=${f.facilityId}&limit=200`,
      token,
    });
    const atNine = res.json().bookings.filter((b: { start_time: string }) => b.start_time === utcSlot(4, 9));
    // Every booking at 09:00 belongs to a complete winning group of two.
    expect(atNine).toHaveLength(winners.length * 2);
    const bySeries = new Map<string, number>();
    for (const b of atNine) bySeries.set(b.series_id, (bySeries.get(b.series_id) ?? 0) + 1);
    expect([...bySeries.values()].every((n) => n === 2)).toBe(true);
  });

  it('parallel overlapping recurring series never leave a partial series', async () => {
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        t.request({
          method: 'POST',
          url: '/api/v1/bookings/recurring',
          payload: {
            simulator_id: f.bayIds[2],
            // Series starting one week apart overlap in three of their four weeks.
            start_time: new Date(Date.parse(utcSlot(5, 16)) + (i % 3) * 7 * 86_400_000).toISOString(),
            duration: 60,
            customer: { email: `series${i}@example.com` },
            recurrence: { freq: 'weekly', count: 4 },
          },
        }),
      ),
    );
    expect(responses.every((r) => r.statusCode === 201 || r.statusCode === 409)).toBe(true);
    const winners = responses.filter((r) => r.statusCode === 201);
    expect(winners).toHaveLength(1);
    const mine = (await activeOn(f.bayIds[2])).filter(
      (b: { start_time: string }) => b.start_time >= utcSlot(5, 0),
    );
    expect(mine).toHaveLength(4);
    expect(new Set(mine.map((b: { series_id: string }) => b.series_id)).size).toBe(1);
  });
});
