import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeCloud } from './testing/fake-cloud.js';
import { seedFacility } from './testing/seed-facility.js';
import { eventually, tempDir } from './testing/sync-harness.js';
import { buildTestEdge } from './testing/test-edge.js';

const MIN = 60_000;
let cloud: FakeCloud;
let tmp: ReturnType<typeof tempDir>;
let app: FastifyInstance;
let bays: string[];
let staff: string;
let kiosk: string;

const build = (): Promise<FastifyInstance> =>
  buildTestEdge(tmp.dir, { CLOUD_URL: cloud.url, EDGE_KEY: cloud.issueKey() });

const halfHour = (minutes: number) => Math.ceil((Date.now() + minutes * MIN) / (30 * MIN)) * 30 * MIN;

beforeEach(async () => {
  cloud = new FakeCloud();
  await cloud.listen();
  ({ bayIds: bays } = seedFacility(cloud, { bays: 2 }));
  tmp = tempDir();
  app = await build();
  expect(await eventually(() => app.edge.sync!.link.online)).toBe(true);
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: 'manager', password: 'correct horse' },
  });
  staff = `Bearer ${login.json().token}`;
  const created = await app.inject({
    method: 'POST',
    url: '/api/v1/kiosks',
    headers: { authorization: staff },
    payload: { name: 'Lobby kiosk' },
  });
  kiosk = `Device ${created.json().key}`;
});
afterEach(async () => {
  await app.close();
  await cloud.close();
  tmp.cleanup();
});

describe('LAN API authentication', () => {
  it('refuses anonymous callers, wrong passwords, kiosks on staff routes and revoked kiosk keys', async () => {
    expect((await app.inject({ url: '/api/v1/sync/status' })).statusCode).toBe(401);
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'manager', password: 'nope' },
    });
    expect(bad.statusCode).toBe(401);
    expect(
      (await app.inject({ url: '/api/v1/walk-ins/attention', headers: { authorization: kiosk } })).statusCode,
    ).toBe(403);
    expect(
      (await app.inject({ url: '/api/v1/sync/status', headers: { authorization: kiosk } })).statusCode,
    ).toBe(200);
    const list = app.edge.database.sqlite.prepare('SELECT id FROM kiosk_devices').get() as { id: string };
    const revoke = await app.inject({
      method: 'DELETE',
      url: `/api/v1/kiosks/${list.id}`,
      headers: { authorization: staff },
    });
    expect(revoke.statusCode).toBe(204);
    expect(
      (await app.inject({ url: '/api/v1/sync/status', headers: { authorization: kiosk } })).statusCode,
    ).toBe(401);
  });
});

describe('LAN API walk-in flow', () => {
  it('quotes, sells online, looks up by code, checks in once, and shows it on the schedule', async () => {
    // Off the online grid and inside the check-in window: only a walk-in can sell this.
    const start = Math.ceil((Date.now() + 2 * MIN) / MIN) * MIN;
    const quote = await app.inject({
      method: 'POST',
      url: '/api/v1/quotes',
      headers: { authorization: kiosk },
      payload: { simulator_id: bays[0], start_time: new Date(start).toISOString(), duration: 60 },
    });
    expect(quote.statusCode).toBe(200);
    expect(quote.json()).toMatchObject({
      subtotal_cents: 4000,
      tax_cents: 520,
      total_cents: 4520,
      price: '45.20',
    });

    const sold = await app.inject({
      method: 'POST',
      url: '/api/v1/walk-ins',
      headers: { authorization: kiosk },
      payload: {
        simulator_id: bays[0],
        start_time: new Date(start).toISOString(),
        duration: 60,
        customer: { first_name: 'Ana' },
      },
    });
    expect(sold.statusCode).toBe(201);
    expect(sold.json()).toMatchObject({ mode: 'online', provisional: false, total_cents: 4520 });
    const booking = sold.json().booking as { id: string; reference_code: string };

    const code = booking.reference_code.toLowerCase().replace(/^(...)/, '$1-');
    const found = await app.inject({
      url: `/api/v1/bookings/lookup?code=${code}`,
      headers: { authorization: kiosk },
    });
    expect(found.json()).toMatchObject({ id: booking.id, status: 'confirmed' });

    const checkin = () =>
      app.inject({
        method: 'POST',
        url: `/api/v1/bookings/${booking.id}/checkin`,
        headers: { authorization: kiosk },
        payload: { method: 'kiosk' },
      });
    expect((await checkin()).json()).toMatchObject({ status: 'checked_in' });
    expect((await checkin()).statusCode).toBe(200);
    expect(await eventually(() => cloud.get('booking', booking.id)?.status === 'checked_in')).toBe(true);
    expect(cloud.eventsByType.get('booking.checked_in')).toBe(1);

    const schedule = await app.inject({ url: '/api/v1/schedule/today', headers: { authorization: staff } });
    const bay = (schedule.json().bays as { simulator_id: string; bookings: { id: string }[] }[]).find(
      (b) => b.simulator_id === bays[0],
    );
    expect(bay?.bookings.map((b) => b.id)).toContain(booking.id);
  });

  it('sells offline with the cloud down, says provisional beyond the horizon, and shows the outage in the status', async () => {
    cloud.down = true;
    const start = halfHour(150); // starts beyond last pull + 2 h: provisional
    const sold = await app.inject({
      method: 'POST',
      url: '/api/v1/walk-ins',
      headers: { authorization: kiosk },
      payload: { simulator_id: bays[1], start_time: new Date(start).toISOString(), duration: 60 },
    });
    expect(sold.statusCode).toBe(201);
    expect(sold.json()).toMatchObject({
      mode: 'provisional',
      provisional: true,
      booking: { provisional: true, reconciliation: 'pending' },
    });
    const status = await app.inject({ url: '/api/v1/sync/status', headers: { authorization: staff } });
    expect(status.json()).toMatchObject({ state: 'offline', outbox_pending: 1 });
    const attention = await app.inject({
      url: '/api/v1/walk-ins/attention',
      headers: { authorization: staff },
    });
    expect(attention.json().bookings).toHaveLength(1);
    cloud.down = false;
    expect(await eventually(() => cloud.get('booking', sold.json().booking.id) !== undefined)).toBe(true);
    expect(
      await eventually(
        () => app.edge.database.sqlite.prepare('SELECT reconciliation FROM bookings').get() !== undefined,
      ),
    ).toBe(true);
  });

  it('honours Idempotency-Key: a retried sale returns the first result and sells nothing twice', async () => {
    const payload = { simulator_id: bays[1], start_time: new Date(halfHour(60)).toISOString(), duration: 60 };
    const send = (body: object) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/walk-ins',
        headers: { authorization: kiosk, 'idempotency-key': 'sale-42' },
        payload: body,
      });
    const [first, concurrent] = await Promise.all([send(payload), send(payload)]);
    const again = await send(payload);
    expect(first.statusCode).toBe(201);
    expect(concurrent.json().booking.id).toBe(first.json().booking.id);
    expect(again.json().booking.id).toBe(first.json().booking.id);
    expect(app.edge.database.sqlite.prepare('SELECT count(*) AS n FROM bookings').get()).toEqual({ n: 1 });
    const other = await send({ ...payload, duration: 90 });
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({
      error: { code: 'IDEMPOTENCY_KEY_REUSED', field: 'Idempotency-Key' },
    });
  });

  it('answers bad input with a 400 naming the field, never a 500', async () => {
    const cases = [
      {
        payload: { simulator_id: 'bay-1', start_time: new Date().toISOString(), duration: 60 },
        field: 'simulator_id',
      },
      { payload: { simulator_id: bays[0], start_time: 'tomorrow', duration: 60 }, field: 'start_time' },
      { payload: { simulator_id: bays[0], start_time: new Date().toISOString() }, field: 'duration' },
    ];
    for (const c of cases) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/walk-ins',
        headers: { authorization: kiosk },
        payload: c.payload,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', field: c.field });
      expect(res.json().error.message).toContain(c.field);
    }
    const past = await app.inject({
      method: 'POST',
      url: '/api/v1/walk-ins',
      headers: { authorization: kiosk },
      payload: {
        simulator_id: bays[0],
        start_time: new Date(Date.now() - 3 * 3_600_000).toISOString(),
        duration: 60,
      },
    });
    expect(past.statusCode).toBe(400);
    expect(past.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', field: 'start_time' } });
    const lookup = await app.inject({
      url: '/api/v1/bookings/lookup?code=0O0',
      headers: { authorization: kiosk },
    });
    expect(lookup.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', field: 'code' } });
  });

  it('lists free walk-in slots from the replica', async () => {
    const res = await app.inject({
      url: `/api/v1/availability?duration=60&simulator_id=${bays[0]}`,
      headers: { authorization: kiosk },
    });
    expect(res.statusCode).toBe(200);
    const bay = res.json().bays[0] as { simulator_id: string; slots: { start_time: string }[] };
    expect(bay.simulator_id).toBe(bays[0]);
    expect(bay.slots.length).toBeGreaterThan(0);
    // Walk-in channel: the first slot may start inside the 2 h an online customer must book ahead.
    expect(Date.parse(bay.slots[0]!.start_time) - Date.now()).toBeLessThan(2 * 3_600_000);
  });
});
