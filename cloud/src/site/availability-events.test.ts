import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFacility, type FacilityFixture, utcSlot } from '../testing/facility.js';
import { readEvents } from '../testing/server-sent-events.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';

describe('live availability events and the public venue list', () => {
  let t: TestApp;
  let venue: FacilityFixture;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp('pglite');
    venue = await createFacility(t, {
      name: 'Birdie Bar',
      timezone: 'America/Toronto',
      settings: { tax_rate_bps: 1300 },
    });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => t?.close());

  it('lists venues publicly with their zone and cancellation terms', async () => {
    const res = await t.request({ method: 'GET', url: '/api/v1/site/facilities' });
    expect(res.statusCode).toBe(200);
    expect(res.json().facilities).toEqual([
      {
        id: venue.facilityId,
        name: 'Birdie Bar',
        address: null,
        timezone: 'America/Toronto',
        cancellation_policy: { free_until_hours: 24, late_refund_percent: 50 },
        tax_rate_bps: 1300,
      },
    ]);
  });

  it('refuses a malformed or unknown facility with a 4xx naming the problem', async () => {
    const bad = await t.request({ method: 'GET', url: '/api/v1/availability/events?facility_id=nope' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toContain('facility_id');
    const unknown = await t.request({
      method: 'GET',
      url: '/api/v1/availability/events?facility_id=00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('streams `change` to every open page when a booking is made, and closes with the app', async () => {
    const controllers = [new AbortController(), new AbortController()];
    const streams = await Promise.all(
      controllers.map((c) =>
        fetch(`${base}/api/v1/availability/events?facility_id=${venue.facilityId}`, { signal: c.signal }),
      ),
    );
    for (const res of streams) {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/event-stream');
    }
    const ready = await Promise.all(
      streams.map((r) => readEvents(r.body!, (e) => e.some((x) => x.event === 'ready'))),
    );
    expect(ready[0]![0]).toEqual({ event: 'ready', data: { facility_id: venue.facilityId } });
    // Let the shared poll take its baseline before the write.
    await new Promise((r) => setTimeout(r, 600));

    const booked = await t.request({
      method: 'POST',
      url: '/api/v1/bookings',
      payload: {
        simulator_id: venue.bayIds[0],
        start_time: utcSlot(2, 15),
        duration: 60,
        customer: { email: 'sse@example.com', first_name: 'Sam' },
      },
    });
    expect(booked.statusCode).toBe(201);
    const changes = await Promise.all(
      streams.map((r) => readEvents(r.body!, (e) => e.some((x) => x.event === 'change'))),
    );
    for (const events of changes) {
      const change = events.find((e) => e.event === 'change')!;
      expect(change.data).toMatchObject({ facility_id: venue.facilityId });
      expect((change.data as { seq: number }).seq).toBeGreaterThan(0);
    }
    controllers[0]!.abort();
    // The second stream is still open: closing the app must end it rather than wait forever.
    const started = Date.now();
    await t.app.close();
    expect(Date.now() - started).toBeLessThan(10_000);
    controllers[1]!.abort();
  });
});
