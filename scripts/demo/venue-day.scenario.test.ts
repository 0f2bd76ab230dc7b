import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudLogin } from './demo-http.js';
import { FRONT_DOOR_ID } from './demo-venue.js';
import { type Demo, startDemo } from './start-demo.js';
import { at, auditTrail, eventually, recordBayStates, venueClock } from './testing/venue-day.js';

/**
 * A day at the demo venue, end to end: the demo's real processes (cloud on PGlite, edge on SQLite,
 * the UniFi/NinjaOne/HubSpot simulators, 8 bay PCs and 2 door scanners over MQTT, the cut-able
 * line between edge and cloud) started by `startDemo` in a fresh folder on free ports. Time is the
 * faked `Date` of this process (see testing/venue-day.ts): the test jumps it to each moment of the
 * day and drives the edge's timers (session tick, UniFi provisioning) by hand instead of waiting.
 */
const clock = venueClock();
const dataDir = mkdtempSync(join(tmpdir(), 'clubos-venue-day-'));
let demo: Demo;

interface CloudBooking {
  id: string;
  status: string;
  price: number;
  qr_code: string;
  access_code: string;
  reference_code: string;
}

beforeAll(async () => {
  clock.install(at('14:00'));
  demo = await startDemo({
    dataDir,
    buildWebApps: false,
    logLevel: 'silent',
    cloudEnv: { HUBSPOT_SYNC_INTERVAL_MS: '1000', RATE_LIMIT_ENABLED: 'false' },
  });
}, 120_000);

afterAll(async () => {
  await demo?.stop();
  clock.uninstall();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a day at the venue', { timeout: 60_000 }, () => {
  const customer = () => cloudLogin(demo.cloudApi, demo.logins.customer.email, demo.logins.customer.password);
  const kiosk = () => demo.edge.kioskAuth;
  const edgeBooking = (id: string) =>
    demo.edge.edgeApi.raw<{ status: string }>(`/api/v1/bookings/${id}`, { auth: kiosk() });
  const control = () => demo.edge.server.app.facilityControl;
  const scan = (doorId: string, qr: string) => demo.devices.scanners.get(doorId)!.scan(qr);
  const visitorOf = (bookingId: string) =>
    [...demo.sims.unifi.state.visitors.values()].find((v) => v.remarks.includes(bookingId));

  let evening: CloudBooking; // Bay 1, 18:00–19:00, played
  let later: CloudBooking; // Bay 1, 21:00–22:00, cancelled online while the venue is offline
  let walkIn: { booking: { id: string }; qr_code: string; mode: string };

  it('starts the venue: the edge has its facility and all ten devices are online', async () => {
    expect(demo.seeded).toBe(true);
    await eventually('the edge online with its snapshot', async () => {
      const schedule = await demo.edge.edgeApi.raw('/api/v1/schedule/today', { auth: kiosk() });
      return demo.edge.server.app.edge.sync?.link.online === true && schedule.status === 200;
    });
    const devices = await demo.edge.edgeApi.json<{ devices: Array<{ presence: string; kind: string }> }>(
      '/api/v1/devices',
      { auth: demo.edge.managerAuth },
    );
    expect(devices.devices.filter((d) => d.kind === 'bay_pc' && d.presence === 'online')).toHaveLength(8);
    expect(devices.devices.filter((d) => d.kind === 'door_scanner')).toHaveLength(2);
  });

  it('a customer books online, pays the deposit on Stripe, and the edge has the booking within a second', async () => {
    const auth = await customer();
    const bay1 = demo.venue.bays[0]!;
    const replica = demo.edge.server.app.edge.database.sqlite.prepare('SELECT 1 FROM bookings WHERE id = ?');
    /** The demo venue asks a deposit: the booking waits on Checkout, the card pays it, the webhook confirms. */
    const bookAndPay = async (localStart: string) => {
      const hold = await demo.cloudApi.json<CloudBooking & { checkout_url: string }>('/api/v1/bookings', {
        auth,
        body: { simulator_id: bay1.id, start_time: new Date(at(localStart)).toISOString(), duration: 60 },
      });
      expect(hold.status).toBe('pending');
      expect(hold.checkout_url.startsWith(demo.urls.stripe)).toBe(true);
      demo.sims.stripe.control.payCheckoutSession(hold.checkout_url.split('/').pop()!, {
        number: '4242424242424242',
      });
      return { id: hold.id, paidAt: performance.now() };
    };
    const confirmed = (id: string) =>
      eventually('the booking confirmed by its payment', async () => {
        const row = await demo.cloudApi.json<CloudBooking>(`/api/v1/bookings/${id}`, { auth });
        return row.status === 'confirmed' ? row : undefined;
      });
    const first = await bookAndPay('18:00');
    // Straight from the edge's SQLite, every 5 ms: the latency measured is the sync's, not an HTTP poll's.
    await eventually('the booking at the edge', () => replica.get(first.id) !== undefined, 5_000, 5);
    const latency = performance.now() - first.paidAt;
    evening = await confirmed(first.id);
    later = await confirmed((await bookAndPay('21:00')).id);
    expect(evening.qr_code).toMatch(/\S{20,}/);
    expect(evening.access_code).toMatch(/^\d{6}$/);
    await eventually(
      'the second booking at the edge',
      async () => (await edgeBooking(later.id)).status === 200,
    );
    expect(latency).toBeLessThan(1_000);
  });

  it('the UniFi controller has the visitor with the booking PIN, valid in the window only', async () => {
    await control().provisioning!.run();
    expect(visitorOf(later.id)).toBeDefined();
    const visitor = visitorOf(evening.id)!;
    expect(visitor).toBeDefined();
    expect(visitor.pin_code).toBe(evening.access_code);
    expect(visitor.start_time * 1000).toBe(at('17:45'));
    expect(visitor.end_time * 1000).toBe(at('19:15'));
    const unifi = demo.sims.unifi.control;
    expect(unifi.enterPin(FRONT_DOOR_ID, evening.access_code, at('17:30') / 1000).result).toBe('BLOCKED');
    expect(unifi.enterPin(FRONT_DOOR_ID, evening.access_code, at('17:50') / 1000).result).toBe('ACCESS');
  });

  it('the QR opens the front door and the bay door in the window, and not before', async () => {
    const bayDoor = demo.venue.bays[0]!.doorId;
    clock.set('17:30');
    const early = await scan(FRONT_DOOR_ID, evening.qr_code);
    expect(early.decision).toBe('denied');
    expect(await scan(bayDoor, evening.qr_code)).toMatchObject({ decision: 'denied' });

    clock.set('17:50');
    expect(await scan(FRONT_DOOR_ID, evening.qr_code)).toMatchObject({ decision: 'granted' });
    expect(await scan(bayDoor, evening.qr_code)).toMatchObject({ decision: 'granted' });
    const unlocked = demo.sims.unifi.control.unlocks().filter((u) => u.result === 'unlocked');
    expect(unlocked.map((u) => u.door_id)).toEqual([FRONT_DOOR_ID, bayDoor]);
  });

  it('the check-in at the kiosk reaches the cloud', async () => {
    clock.set('17:52'); // the customer arrives, in through both doors
    const found = await demo.edge.edgeApi.json<{ id: string }>(
      `/api/v1/bookings/lookup?qr=${encodeURIComponent(evening.qr_code)}`,
      { auth: kiosk() },
    );
    expect(found.id).toBe(evening.id);
    const checkedIn = await demo.edge.edgeApi.json<{ status: string }>(
      `/api/v1/bookings/${evening.id}/checkin`,
      {
        auth: kiosk(),
        body: { method: 'qr_code' },
      },
    );
    expect(checkedIn.status).toBe('checked_in');
    await eventually('the check-in in the cloud', async () => {
      const inCloud = await demo.cloudApi.json<CloudBooking>(`/api/v1/bookings/${evening.id}`, {
        auth: await customer(),
      });
      return inCloud.status === 'checked_in';
    });
  });

  it('the bay PC gets prepare, start, warn and end at their times', async () => {
    const states = recordBayStates(demo, 1);
    const sessions = control().sessions;
    const status = () => states.at(-1);
    await sessions.tick(); // 17:52: the prepare was due at 17:50
    await eventually(
      'prepare',
      () => status()?.status === 'preparing' && status()?.booking_id === evening.id,
    );
    clock.set('18:00');
    await sessions.tick();
    await eventually('start', () => status()?.status === 'in_session');
    clock.set('18:55');
    await sessions.tick();
    await eventually('warn', () => status()?.minutes_left === 5);
    clock.set('19:00');
    await sessions.tick();
    await eventually('end', () => status()?.status === 'cleanup');
    await eventually('the bay tidied up', () => status()?.status === 'idle', 10_000);
    expect(demo.devices.bays.get(1)!.rejections).toEqual([]);
    expect(demo.sims.ninja.control.runs().map((r) => r.deviceId)).toContain(
      demo.venue.bays[0]!.ninjaDeviceId,
    );
  });

  it('HubSpot has the contact, the booking notes and the lifetime value', async () => {
    const hubspot = demo.sims.hubspot.state;
    const contact = await eventually('the HubSpot contact with both bookings', () => {
      const c = hubspot.contactByEmail(demo.logins.customer.email);
      return c?.properties.total_bookings === '2' ? c : undefined;
    });
    expect(contact.properties.lifetime_value).toBe((evening.price + later.price).toFixed(2));
    await eventually('the check-in note', () =>
      hubspot.notes().some((n) => /Checked in/i.test(n.properties.hs_note_body ?? '')),
    );
    expect(
      hubspot.notes().filter((n) => /Booking created/i.test(n.properties.hs_note_body ?? '')),
    ).toHaveLength(2);
  });

  it('the internet goes down: a walk-in sold at the kiosk opens the door', async () => {
    clock.set('19:05');
    // The line fails right after the edge's 19:05 pull: walk-ins ending within the bays' minimum
    // notice of that pull are sold for good, not provisionally (docs/decisions/006-who-sells-which-time.md).
    await eventually('a pull at 19:05', async () => {
      const status = await demo.edge.edgeApi.json<{ last_successful_pull: string | null }>(
        '/api/v1/sync/status',
        { auth: demo.edge.managerAuth },
      );
      return Date.parse(status.last_successful_pull ?? '') >= at('19:05');
    });
    demo.setOffline(true);
    await eventually('the edge offline', () => demo.edge.server.app.edge.sync?.link.online === false);
    walkIn = await demo.edge.edgeApi.json('/api/v1/walk-ins', {
      auth: kiosk(),
      body: {
        simulator_id: demo.venue.bays[0]!.id,
        start_time: new Date(at('19:30')).toISOString(),
        duration: 30,
        customer: { first_name: 'Walk', last_name: 'In' },
      },
    });
    expect(walkIn.mode).toBe('offline');
    clock.set('19:20');
    expect(await scan(FRONT_DOOR_ID, walkIn.qr_code)).toMatchObject({ decision: 'granted' });
  });

  it('a cancellation made online while the edge is offline is honoured after reconnect', async () => {
    const cancelled = await demo.cloudApi.json<{ booking: { status: string } }>(
      `/api/v1/bookings/${later.id}/cancel`,
      { auth: await customer(), body: { reason: 'plans changed' } },
    );
    expect(cancelled.booking.status).toBe('cancelled');
    expect((await edgeBooking(later.id)).body.status).toBe('confirmed'); // the edge cannot know yet

    demo.setOffline(false);
    await eventually(
      'the cancellation at the edge',
      async () => (await edgeBooking(later.id)).body.status === 'cancelled',
    );
    clock.set('20:50');
    expect(await scan(FRONT_DOOR_ID, later.qr_code)).toMatchObject({ decision: 'denied' });
    await control().provisioning!.run();
    expect(visitorOf(later.id)?.cancelled).toBe(true);
    // The walk-in sold offline is in the cloud now.
    await eventually('the walk-in in the cloud', async () => {
      const inCloud = await demo.cloudApi.raw<{ status: string }>(`/api/v1/bookings/${walkIn.booking.id}`, {
        auth: await cloudLogin(demo.cloudApi, demo.logins.admin.email, demo.logins.admin.password),
      });
      return inCloud.status === 200;
    });
  });

  it('every audit event of the day is in the cloud exactly once', async () => {
    await eventually('the outbox drained', async () => {
      const status = await demo.edge.edgeApi.json<{ outbox_pending: number }>('/api/v1/sync/status', {
        auth: demo.edge.managerAuth,
      });
      return status.outbox_pending === 0 ? status : undefined;
    });
    const trail = await auditTrail(demo);
    expect(trail.edge.filter((k) => k.startsWith('door.decision'))).toHaveLength(6);
    expect(trail.edge.some((k) => k.startsWith('booking.checked_in'))).toBe(true);
    expect(trail.edge.some((k) => k.startsWith('walk_in.created'))).toBe(true);
    expect(trail.cloud).toEqual(trail.edge);
    expect(new Set(trail.eventIds).size).toBe(trail.eventIds.length);
  });
});
