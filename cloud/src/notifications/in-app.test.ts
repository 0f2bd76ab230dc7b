import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFacility, type FacilityFixture, loginAdmin, utcSlot } from '../testing/facility.js';
import { readEvents } from '../testing/server-sent-events.js';
import { createTestApp, type TestApp, testDatabases } from '../testing/test-app.js';

async function register(t: TestApp, email: string): Promise<string> {
  const res = await t.request({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: { email, password: 'in-app-pass-1', first_name: 'Robin' },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().access_token;
}

describe.each(testDatabases())('in-app notifications on %s', (kind) => {
  let t: TestApp;
  let venue: FacilityFixture;
  let robin: string;
  let other: string;
  let base: string;

  const list = async (token: string) => {
    const res = await t.request({ method: 'GET', url: '/api/v1/me/notifications', token });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as {
      notifications: { id: number; kind: string; title: string; body: string; read_at: string | null }[];
      unread: number;
    };
  };
  const book = async (token: string, days: number, hour: number) => {
    const res = await t.request({
      method: 'POST',
      url: '/api/v1/bookings',
      token,
      payload: { simulator_id: venue.bayIds[0], start_time: utcSlot(days, hour), duration: 60 },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
    venue = await createFacility(t, { name: 'Eagle Hall', timezone: 'Europe/London', minAdvanceHours: 0 });
    robin = await register(t, 'robin.inapp@example.com');
    other = await register(t, 'other.inapp@example.com');
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  }, 120_000);
  afterAll(async () => t?.close());

  it('lists a confirmation and a cancellation as unread, newest first, and only to their customer', async () => {
    const id = await book(robin, 3, 10);
    const cancel = await t.request({
      method: 'POST',
      url: `/api/v1/bookings/${id}/cancel`,
      token: robin,
      payload: {},
    });
    expect(cancel.statusCode, cancel.body).toBe(200);

    const mine = await list(robin);
    expect(mine.notifications.map((n) => [n.kind, n.title, n.read_at])).toEqual([
      ['cancellation', 'Booking cancelled', null],
      ['confirmation', 'Booking confirmed', null],
    ]);
    expect(mine.notifications[1]!.body).toMatch(
      /^Bay 1 at Eagle Hall, \w{3} \d{4}-\d\d-\d\d 10:00 – 11:00 \(ref /,
    );
    expect(mine.unread).toBe(2);
    expect((await list(other)).notifications).toEqual([]);
  });

  it('marks one read once (a second mark keeps the first time); another customer gets 404', async () => {
    const [newest] = (await list(robin)).notifications;
    const theirs = await t.request({
      method: 'POST',
      url: `/api/v1/me/notifications/${newest!.id}/read`,
      token: other,
    });
    expect(theirs.statusCode).toBe(404);

    const first = await t.request({
      method: 'POST',
      url: `/api/v1/me/notifications/${newest!.id}/read`,
      token: robin,
    });
    expect(first.statusCode, first.body).toBe(200);
    const readAt = first.json().notification.read_at;
    expect(readAt).toEqual(expect.any(String));
    const again = await t.request({
      method: 'POST',
      url: `/api/v1/me/notifications/${newest!.id}/read`,
      token: robin,
    });
    expect(again.json().notification.read_at).toBe(readAt);
    const after = await list(robin);
    expect(after.unread).toBe(1);
    expect(after.notifications.map((n) => n.read_at === null)).toEqual([false, true]);
  });

  it('refuses the anonymous (401), staff without a customer (403) and a bad id (400, named)', async () => {
    expect((await t.request({ method: 'GET', url: '/api/v1/me/notifications' })).statusCode).toBe(401);
    const admin = await loginAdmin(t);
    expect(
      (await t.request({ method: 'GET', url: '/api/v1/me/notifications', token: admin })).statusCode,
    ).toBe(403);
    const bad = await t.request({ method: 'POST', url: '/api/v1/me/notifications/0/read', token: robin });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/id/);
    const limit = await t.request({ method: 'GET', url: '/api/v1/me/notifications?limit=0', token: robin });
    expect(limit.statusCode).toBe(400);
    expect(limit.body).toMatch(/limit/);
  });

  it('streams `change` to the customer when a message is written for them, not for others', async () => {
    const open = (token: string) =>
      fetch(`${base}/api/v1/me/notifications/events`, { headers: { authorization: `Bearer ${token}` } });
    const robinStream = await open(robin);
    expect(robinStream.status).toBe(200);
    expect(robinStream.headers.get('content-type')).toMatch(/text\/event-stream/);
    await readEvents(robinStream.body!, (events) => events.some((e) => e.event === 'ready'));
    const otherStream = await open(other);
    const otherEvents: string[] = [];
    void readEvents(
      otherStream.body!,
      (events) => {
        otherEvents.splice(0, otherEvents.length, ...events.map((e) => e.event));
        return false;
      },
      60_000,
    ).catch(() => {});

    await book(robin, 4, 12);
    const head = (await list(robin)).notifications[0]!.id;
    const events = await readEvents(robinStream.body!, (evs) => evs.some((e) => e.event === 'change'));
    expect(events.find((e) => e.event === 'change')?.data).toEqual({ head });
    expect(otherEvents).toEqual(['ready']);
    await robinStream.body!.cancel();
    await otherStream.body!.cancel().catch(() => {});
  });

  it('refuses the stream without a token', async () => {
    const res = await fetch(`${base}/api/v1/me/notifications/events`);
    expect(res.status).toBe(401);
  });
});
