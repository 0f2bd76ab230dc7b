import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeCloud } from '../testing/fake-cloud.js';
import { seedFacility } from '../testing/seed-facility.js';
import { eventually, tempDir } from '../testing/sync-harness.js';
import { buildTestEdge, registerKiosk } from '../testing/test-edge.js';

/**
 * The LAN API refuses in the cloud's dialect: `{ error: { code, message, field? }, ...extra }` with
 * the shared catalogue's codes, for domain refusals and for the framework's own 4xx alike.
 */
const MIN = 60_000;
let cloud: FakeCloud;
let tmp: ReturnType<typeof tempDir>;
let app: FastifyInstance;
let bays: string[];
let kiosk: string;

const halfHour = (minutes: number) => Math.ceil((Date.now() + minutes * MIN) / (30 * MIN)) * 30 * MIN;

beforeAll(async () => {
  cloud = new FakeCloud();
  await cloud.listen();
  ({ bayIds: bays } = seedFacility(cloud, { bays: 2 }));
  tmp = tempDir();
  app = await buildTestEdge(tmp.dir, { CLOUD_URL: cloud.url, EDGE_KEY: cloud.issueKey() });
  expect(await eventually(() => app.edge.sync!.link.online)).toBe(true);
  kiosk = await registerKiosk(app);
});
afterAll(async () => {
  await app.close();
  await cloud.close();
  tmp.cleanup();
});

const walkIn = (payload: unknown, headers: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url: '/api/v1/walk-ins',
    headers: { authorization: kiosk, ...headers },
    payload: payload as object,
  });

const raw = (body: string, contentType: string) =>
  app.inject({
    method: 'POST',
    url: '/api/v1/walk-ins',
    headers: { authorization: kiosk, 'content-type': contentType },
    payload: body,
  });

describe('the LAN API error dialect', () => {
  it('answers a schema failure with VALIDATION_FAILED naming the field', async () => {
    const res = await walkIn({ simulator_id: bays[0], start_time: new Date(halfHour(60)).toISOString() });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: { code: 'VALIDATION_FAILED', message: expect.stringContaining('duration'), field: 'duration' },
    });
  });

  it('checks JSON bodies strictly, as the cloud does: a number written as text is refused, not coerced', async () => {
    const start_time = new Date(halfHour(60)).toISOString();
    const res = await walkIn({ simulator_id: bays[0], start_time, duration: '60' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'duration' });
  });

  it('answers an unknown route with NOT_FOUND in the envelope, not the framework body', async () => {
    const res = await app.inject({ url: '/api/v1/no-such-route' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      error: { code: 'NOT_FOUND', message: 'Route GET /api/v1/no-such-route not found' },
    });
  });

  it('answers a taken slot with 409 SLOT_UNAVAILABLE naming start_time, with alternatives', async () => {
    const payload = {
      simulator_id: bays[0],
      start_time: new Date(halfHour(120)).toISOString(),
      duration: 60,
    };
    expect((await walkIn(payload)).statusCode).toBe(201);
    const res = await walkIn(payload);
    expect(res.statusCode).toBe(409);
    const body = res.json();
    expect(body.error).toEqual({
      code: 'SLOT_UNAVAILABLE',
      message: expect.any(String),
      field: 'start_time',
    });
    // The cloud's shape: a flat list of free slots, each a bay, a start, an end and a price.
    expect(body.alternatives.map((s: { simulator_id: string }) => s.simulator_id)).toContain(bays[1]);
    for (const alternative of body.alternatives) {
      expect(Object.keys(alternative).sort()).toEqual([
        'end_time',
        'price_cents',
        'simulator_id',
        'start_time',
      ]);
    }
  });

  it('answers a reused Idempotency-Key with 422 IDEMPOTENCY_KEY_REUSED naming the header', async () => {
    const payload = {
      simulator_id: bays[1],
      start_time: new Date(halfHour(240)).toISOString(),
      duration: 60,
    };
    const key = { 'idempotency-key': 'dialect-1' };
    expect((await walkIn(payload, key)).statusCode).toBe(201);
    const res = await walkIn({ ...payload, duration: 90 }, key);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({
      error: { code: 'IDEMPOTENCY_KEY_REUSED', message: expect.any(String), field: 'Idempotency-Key' },
    });
  });

  it('answers JSON that does not parse with 400 BAD_REQUEST naming the body', async () => {
    const res = await raw('{"simulator_id": ', 'application/json');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: { code: 'BAD_REQUEST', message: expect.any(String), field: 'body' },
    });
  });

  it('answers JSON that does not parse on the UniFi webhook in the same words', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/unifi/webhooks',
      headers: { 'content-type': 'application/json' },
      payload: '{"event": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: { code: 'BAD_REQUEST', message: expect.any(String), field: 'body' },
    });
  });

  it('answers a content type it does not read with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await raw('<walk-in/>', 'application/xml');
    expect(res.statusCode).toBe(415);
    expect(res.json()).toEqual({
      error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.any(String), field: 'body' },
    });
  });

  it('answers a body over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await raw(JSON.stringify({ padding: 'x'.repeat(1024 * 1024 + 1) }), 'application/json');
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({
      error: { code: 'PAYLOAD_TOO_LARGE', message: expect.any(String), field: 'body' },
    });
  });
});

describe('the shared rules on the LAN API', () => {
  const quote = (start_time: string) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/quotes',
      headers: { authorization: kiosk },
      payload: { simulator_id: bays[0], start_time, duration: 60 },
    });

  it('reads instants in any offset and refuses an impossible calendar date naming the field', async () => {
    const start = halfHour(30);
    const utc = await quote(new Date(start).toISOString());
    const toronto = new Date(start - 5 * 3_600_000).toISOString().replace(/\.\d+Z$/, '-05:00');
    const offset = await quote(toronto);
    expect(offset.statusCode).toBe(200);
    expect(offset.json().start_time).toBe(utc.json().start_time);

    const year = new Date().getUTCFullYear() + 1;
    for (const res of [
      await quote(`${year}-02-30T10:00:00Z`),
      await walkIn({ simulator_id: bays[0], start_time: `${year}-02-30T10:00:00Z`, duration: 60 }),
    ]) {
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toEqual({
        code: 'VALIDATION_FAILED',
        message: expect.stringMatching(/start_time .* is not a valid instant: .* has no day 30/),
        field: 'start_time',
      });
    }
  });

  it('refuses a check-in before its window with the shared verdict: 409 INVALID_STATE and opens_at', async () => {
    const start = halfHour(300);
    const sold = await walkIn({
      simulator_id: bays[0],
      start_time: new Date(start).toISOString(),
      duration: 60,
    });
    expect(sold.statusCode).toBe(201);
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/bookings/${sold.json().booking.id}/checkin`,
      headers: { authorization: kiosk },
      payload: { method: 'kiosk' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({
      error: { code: 'INVALID_STATE', message: expect.stringContaining('check-in opens'), field: 'status' },
      opens_at: new Date(start - 15 * MIN).toISOString(),
    });
  });
});
