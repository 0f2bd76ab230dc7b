import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpsWorld, insertBooking, type OpsWorld, SETUP_TIMEOUT_MS } from '../testing/ops-world.js';
import { createTestApp, type TestApp, testDatabases } from '../testing/test-app.js';
import { heatmap } from './dashboard.figures.js';

const ZONE = 'America/Toronto';
/** A past Wednesday in summer time (UTC−4): local 10:00 is 14:00Z. */
const DAY = '2025-06-11';
const local = (date: string, time: string) => DateTime.fromISO(`${date}T${time}`, { zone: ZONE }).toJSDate();

describe('heatmap', () => {
  it('splits a booking across local hours, across a DST change', () => {
    // 01:30 EDT (05:30Z) + 2 real hours = 02:30 EST: the clock shows hour 1 twice (90 min), then 2.
    const start = Date.parse('2025-11-02T05:30:00Z');
    const cells = heatmap(
      [
        {
          simulatorId: 'x',
          startTime: new Date(start),
          endTime: new Date(start + 120 * 60_000),
          status: 'completed',
          priceCents: 0,
          refundCents: null,
          cancelledAt: null,
        },
      ],
      0,
      Number.MAX_SAFE_INTEGER,
      ZONE,
    );
    const sunday = cells.filter((c) => c.weekday === 0 && c.booked_minutes > 0);
    expect(sunday).toEqual([
      { weekday: 0, hour: 1, booked_minutes: 90 },
      { weekday: 0, hour: 2, booked_minutes: 30 },
    ]);
    expect(cells).toHaveLength(168);
  });
});

describe.each(testDatabases())('admin dashboard on %s', (kind) => {
  let t: TestApp;
  let w: OpsWorld;
  beforeAll(async () => {
    t = await createTestApp(kind);
    w = await createOpsWorld(t, ZONE);
    const a = { facilityId: w.facilityA, customerId: w.customerId };
    await insertBooking(t, {
      ...a,
      simulatorId: w.bayA1,
      startTime: local(DAY, '10:00'),
      duration: 180,
      priceCents: 13500,
    });
    await insertBooking(t, {
      ...a,
      simulatorId: w.bayA2,
      startTime: local(DAY, '12:00'),
      duration: 108,
      priceCents: 8100,
      status: 'no_show',
    });
    // Cancelled the same day with half refunded: counts as a cancellation.
    await insertBooking(t, {
      ...a,
      simulatorId: w.bayA1,
      startTime: local(DAY, '15:00'),
      duration: 60,
      status: 'cancelled',
      refundCents: 2250,
      cancelledAt: local(DAY, '09:00'),
    });
    // Cancelled today for a later date: a cancellation today, no revenue today.
    await insertBooking(t, {
      ...a,
      simulatorId: w.bayA2,
      startTime: local('2025-06-14', '10:00'),
      duration: 60,
      status: 'cancelled',
      refundCents: 4500,
      cancelledAt: local(DAY, '08:00'),
    });
    await insertBooking(t, {
      ...a,
      simulatorId: w.bayA2,
      startTime: local('2025-06-10', '20:00'),
      duration: 60,
    });
    // Another facility's booking never shows.
    await insertBooking(t, {
      facilityId: w.facilityB,
      simulatorId: w.bayB1,
      startTime: local(DAY, '10:00'),
      duration: 60,
    });

    await t.request({
      method: 'PATCH',
      url: `/api/v1/admin/simulators/${w.bayA2}`,
      token: w.tokens.admin,
      payload: { status: 'maintenance', reason: 'Projector replacement' },
    });
    await t.request({
      method: 'POST',
      url: '/api/v1/admin/closures',
      token: w.tokens.admin,
      payload: {
        facility_id: w.facilityA,
        simulator_id: w.bayA1,
        kind: 'maintenance',
        starts_at: local(DAY, '06:00').toISOString(),
        ends_at: local(DAY, '08:00').toISOString(),
        reason: 'Screen cleaning',
      },
    });
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => t?.close());

  const dashboard = (query: string, token: string) =>
    t.request({ method: 'GET', url: `/api/v1/admin/dashboard${query}`, token });

  it("reports the day's figures in the facility's zone (seed shape)", async () => {
    const res = await dashboard(`?facility_id=${w.facilityA}&date=${DAY}`, w.tokens.admin);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ facility_id: w.facilityA, timezone: ZONE, date: DAY });
    expect(body.today).toEqual({
      bookings: 2,
      // No payment was recorded for these bookings: revenue is money that moved, not list prices
      // (payments in dashboard-revenue.test.ts).
      revenue: 0,
      revenue_cents: 0,
      // 288 of 2 × 1440 open bay-minutes; the bay in maintenance now does not erase its history.
      occupancy: expect.any(Number),
      cancellations: 2,
      no_shows: 1,
    });
  });

  it('gives 14 days of trends, an hour × weekday heatmap and the no-show rate', async () => {
    const body = (await dashboard(`?facility_id=${w.facilityA}&date=${DAY}`, w.tokens.staffA)).json();
    expect(body.trends.days).toHaveLength(14);
    expect(body.trends.days[0].date).toBe('2025-05-29');
    expect(body.trends.days[12]).toMatchObject({
      date: '2025-06-10',
      bookings: 1,
      revenue_cents: 0,
      cancellations: 0,
    });
    const cell = (weekday: number, hour: number) =>
      body.trends.heatmap.find(
        (c: { weekday: number; hour: number }) => c.weekday === weekday && c.hour === hour,
      ).booked_minutes;
    expect([cell(3, 10), cell(3, 11), cell(3, 12), cell(3, 13), cell(3, 15)]).toEqual([60, 60, 120, 48, 0]);
    expect(cell(2, 20)).toBe(60);
    expect(body.trends.no_shows).toBe(1);
    expect(body.trends.no_show_rate).toBe(0.333);
  });

  it('computes occupancy from sold time over open bay-minutes', async () => {
    const body = (await dashboard(`?facility_id=${w.facilityB}&date=${DAY}`, w.tokens.admin)).json();
    // Facility B: one bay open 24 h, one 60-minute booking → 60 / 1440 = 4.2 %.
    expect(body.today.occupancy).toBe(4.2);
    expect(body.trends.days[11].occupancy).toBe(0);
  });

  it('raises alerts for maintenance, closures and edges', async () => {
    const body = (await dashboard(`?facility_id=${w.facilityA}&date=${DAY}`, w.tokens.admin)).json();
    const types = body.alerts.map((a: { type: string }) => a.type).sort();
    expect(types).toEqual(['bay_maintenance', 'closure', 'edge_offline']);
    const maintenance = body.alerts.find((a: { type: string }) => a.type === 'bay_maintenance');
    expect(maintenance).toMatchObject({ simulator_id: w.bayA2, severity: 'warning', until: null });
    expect(maintenance.message).toContain('Projector replacement');
    const b = (await dashboard(`?facility_id=${w.facilityB}&date=${DAY}`, w.tokens.admin)).json();
    expect(b.alerts.map((a: { type: string }) => a.type)).toEqual(['edge_missing']);
  });

  it("defaults to today in the facility's zone and to a staff member's only facility", async () => {
    const res = await dashboard('', w.tokens.staffA);
    expect(res.statusCode).toBe(200);
    expect(res.json().facility_id).toBe(w.facilityA);
    expect(res.json().date).toBe(DateTime.now().setZone(ZONE).toISODate());
  });

  it('needs a facility for admins, refuses other facilities and bad dates', async () => {
    const admin = await dashboard('', w.tokens.admin);
    expect(admin.statusCode).toBe(400);
    expect(admin.json().error.field).toBe('facility_id');
    expect((await dashboard(`?facility_id=${w.facilityB}`, w.tokens.staffA)).statusCode).toBe(403);
    const bad = await dashboard(`?facility_id=${w.facilityA}&date=11/06/2025`, w.tokens.admin);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('date');
    const unknown = await dashboard('?facility_id=00000000-0000-4000-8000-000000000000', w.tokens.admin);
    expect(unknown.statusCode).toBe(404);
  });
});
