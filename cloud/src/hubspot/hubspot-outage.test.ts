import { beforeEach, describe, expect, it } from 'vitest';
import { drain, guestBooking, hubspotSuite, jump, slot } from '../testing/hubspot.js';
import { testDatabases } from '../testing/test-app.js';

const MINUTE = 60_000;

describe.each(testDatabases())('HubSpot outages and rate limits on %s', (kind) => {
  const h = hubspotSuite(kind);
  let day = 10;

  beforeEach(() => {
    h.sim.control.clearFaults();
    day += 2;
  });

  /** Every note, deal and contact in the portal exists once per key. */
  const expectNoDuplicates = () => {
    const count = (keys: string[]) => keys.filter((k, i) => keys.indexOf(k) !== i);
    expect(count(h.sim.state.notes().map((n) => n.properties.clubos_event_id!))).toEqual([]);
    expect(count(h.sim.state.deals().map((d) => d.properties.clubos_event_id!))).toEqual([]);
    expect(count(h.sim.state.contacts().map((c) => c.properties.email!))).toEqual([]);
  };
  const notesOf = (bookingId: string) =>
    h.sim.state.notes().filter((n) => n.properties.clubos_event_id === `note:${bookingId}:booking.created`);

  it('takes bookings through a 10-minute outage, then delivers every contact, note and deal exactly once', async () => {
    h.sim.control.fault({ kind: 'down' });
    const outageStart = Date.now();
    const booked: Array<{ id: string; email: string }> = [];
    for (let i = 0; i < 4; i++) {
      const email = `outage${i}@example.com`;
      const before = h.sim.state.requests().length;
      const b = await guestBooking(h.t, h.facility.bayIds[i]!, slot(day, 8 + i), {
        email,
        first_name: `Out${i}`,
      });
      // A booking never waits for HubSpot: it answers at once and sends nothing to it.
      expect(b.ms).toBeLessThan(3_000);
      expect(h.sim.state.requests().length).toBe(before);
      booked.push({ id: b.id, email });
    }
    const group = await h.t.request({
      method: 'POST',
      url: '/api/v1/bookings/group',
      token: h.users.customer,
      payload: { simulator_ids: h.facility.bayIds, start_time: slot(day + 1, 18), duration: 60 },
    });
    expect(group.statusCode, group.body).toBe(201);
    const seriesId = group.json().series_id as string;

    // Ten simulated minutes of HubSpot being unreachable, the worker backing off meanwhile.
    while (Date.now() - outageStart < 10 * MINUTE) {
      await h.worker.runOnce();
      const paused = h.worker.health().pausedUntil;
      jump(Math.max(paused ? paused - Date.now() + 1 : 0, 5_000));
    }
    const tried = h.sim.state.requests().filter((r) => r.status === 0).length;
    expect(tried).toBeGreaterThan(3); // it kept trying …
    expect(tried).toBeLessThan(40); // … with backoff, not in a tight loop
    const during = await h.t.request({
      method: 'GET',
      url: '/api/v1/admin/hubspot/status?state=pending',
      token: h.users.admin,
    });
    expect(during.json()).toMatchObject({ enabled: true, available: false });
    const waiting = during.json().customers.find((c: { email: string }) => c.email === 'outage0@example.com');
    expect(waiting).toMatchObject({ state: 'pending', failed: 0 });
    expect(waiting.last_error).toMatch(/HubSpot did not answer/);

    h.sim.control.clearFaults();
    await drain(h);
    for (const b of booked) {
      expect(h.sim.state.contacts().filter((c) => c.properties.email === b.email)).toHaveLength(1);
      expect(notesOf(b.id)).toHaveLength(1);
    }
    const deals = h.sim.state.deals().filter((d) => d.properties.clubos_event_id === `deal:${seriesId}`);
    expect(deals).toHaveLength(1);
    expect(deals[0]!.properties.amount).toBe('160.00');
    expectNoDuplicates();
    const after = await h.t.app.hubspotSync.service.status({ limit: 200, offset: 0 });
    expect(after).toMatchObject({ available: true, totals: { pending: 0, failed: 0 } });
  });

  it('pauses the whole sync for Retry-After during a 429 storm and sends nothing twice', async () => {
    const b1 = await guestBooking(h.t, h.facility.bayIds[0]!, slot(day, 9), { email: 'storm1@example.com' });
    const b2 = await guestBooking(h.t, h.facility.bayIds[1]!, slot(day, 9), { email: 'storm2@example.com' });
    h.sim.control.clearRequests();
    h.sim.control.fault({ kind: 'rate_limit_storm', retryAfterSeconds: 30, count: 3 });
    const start = Date.now();

    const first = await h.worker.runOnce();
    expect(first.interrupted).toBe('rate_limited');
    expect(h.sim.state.requests()).toHaveLength(1);
    expect(h.worker.health().pausedUntil).toBeGreaterThanOrEqual(start + 30_000);
    const status = await h.t.app.hubspotSync.service.status({
      customer_id: b1.customer_id,
      limit: 1,
      offset: 0,
    });
    // A 429 was refused unprocessed: it is no attempt, and it never brings an item closer to failing.
    expect(status.customers[0]!.open_items[0]).toMatchObject({ attempts: 0, failures: 0, status: 'pending' });
    expect(status.customers[0]!.last_error).toMatch(/429 RATE_LIMITS/);

    jump(29_000);
    expect((await h.worker.runOnce()).interrupted).toBe('paused');
    expect(h.sim.state.requests()).toHaveLength(1); // nothing sent before Retry-After ran out

    await drain(h);
    const sent = h.sim.state.requests();
    const refused = sent.filter((r) => r.status === 429);
    expect(refused).toHaveLength(3);
    // Each refusal was followed by a pause of at least its Retry-After.
    for (const r of refused) {
      const next = sent.find((s) => s.at > r.at);
      if (next) expect(next.at - r.at).toBeGreaterThanOrEqual(30_000);
    }
    for (const b of [b1, b2]) expect(notesOf(b.id)).toHaveLength(1);
    expectNoDuplicates();
  });

  it('paces itself under the real ten-second limit, batching contact upserts', async () => {
    h.sim.control.setRateLimits({ tenSecondlyMax: 4 });
    h.sim.control.resetRateLimitCounters();
    const booked = [];
    for (let i = 0; i < 6; i++) {
      booked.push(
        await guestBooking(h.t, h.facility.bayIds[i % 4]!, slot(day + (i < 4 ? 0 : 1), 12), {
          email: `limit${i}@example.com`,
        }),
      );
    }
    h.sim.control.clearRequests();
    const reports = await drain(h);
    h.sim.control.setRateLimits({ tenSecondlyMax: 190 });

    const sent = h.sim.state.requests();
    // Six contacts, one batch upsert.
    expect(
      sent.filter((r) => r.path === '/crm/v3/objects/contacts/batch/upsert' && r.status === 200),
    ).toHaveLength(1);
    const refused = sent.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(reports.some((r) => r.interrupted === 'rate_limited')).toBe(true);
    for (const r of refused) {
      const next = sent.find((s) => s.at > r.at);
      // No Retry-After here: the worker waits out HubSpot's window (X-HubSpot-RateLimit-Interval-Milliseconds).
      if (next) expect(next.at - r.at).toBeGreaterThanOrEqual(10_000);
    }
    for (const b of booked) expect(notesOf(b.id)).toHaveLength(1);
    expectNoDuplicates();
  });
});
