import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bookAsGuest,
  createFacility,
  type FacilityFixture,
  loginAdmin,
  utcSlot,
} from '../testing/facility.js';
import { createTestApp, type TestApp, testDatabases } from '../testing/test-app.js';
import { ManageTokens } from './manage-token.js';

const SETUP_TIMEOUT_MS = 120_000;

interface Made {
  id: string;
  reference_code: string;
  access_code: string;
  start_time: string;
}

describe.each(testDatabases())('guest manage flow on %s', (kind) => {
  let t: TestApp;
  let venue: FacilityFixture;
  let hour = 8;

  const guestBooking = async (email: string, days = 3, bay = 0): Promise<Made> => {
    const res = await t.request({
      method: 'POST',
      url: '/api/v1/bookings',
      payload: {
        simulator_id: venue.bayIds[bay],
        start_time: utcSlot(days, hour++),
        duration: 60,
        customer: { email, first_name: 'Gina' },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const lookup = (payload: Record<string, unknown>) =>
    t.request({ method: 'POST', url: '/api/v1/bookings/lookup', payload });
  const manage = (
    method: 'GET' | 'POST',
    id: string,
    token: string | undefined,
    action = '',
    payload?: object,
    headers: Record<string, string> = {},
  ) =>
    t.request({
      method,
      url: `/api/v1/bookings/${id}/manage${action}`,
      headers: { ...(token === undefined ? {} : { 'x-manage-token': token }), ...headers },
      ...(payload ? { payload } : {}),
    });
  const tokenFor = async (made: Made, email: string) => {
    const res = await lookup({ reference_code: made.reference_code, email });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().manage_token as string;
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
    venue = await createFacility(t, { bays: 2 });
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => t?.close());

  it('finds a booking by code and email, forgiving case and dashes, with QR, PIN and refund', async () => {
    const made = await guestBooking('gina@example.com');
    const typed = `${made.reference_code.slice(0, 3).toLowerCase()}-${made.reference_code.slice(3)}`;
    const res = await lookup({ reference_code: typed, email: 'Gina@Example.com' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.booking).toMatchObject({ id: made.id, access_code: made.access_code, status: 'confirmed' });
    expect(body.booking.qr_code).toEqual(expect.any(String));
    expect(body).toMatchObject({
      bay_name: 'Bay 1',
      facility_timezone: 'UTC',
      can_reschedule: true,
      cancellation: { refund_cents: 4000, refund_percent: 100, rule: 'free' },
      expires_in: 900,
    });
    expect(body.manage_token).toEqual(expect.any(String));
  });

  it('answers a wrong email exactly like an unknown code, without revealing the booking', async () => {
    const made = await guestBooking('private@example.com');
    const wrongEmail = await lookup({ reference_code: made.reference_code, email: 'someone@example.com' });
    const unknown = await lookup({
      reference_code: made.reference_code === 'ZZZZZZ' ? 'YYYYYY' : 'ZZZZZZ',
      email: 'private@example.com',
    });
    expect(wrongEmail.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(wrongEmail.json()).toEqual(unknown.json());
    expect(wrongEmail.json().error).toMatchObject({ code: 'NOT_FOUND', field: 'reference_code' });
    expect(wrongEmail.body).not.toContain(made.id);
  });

  it('finds a booking by code and PIN; a wrong PIN is a 404', async () => {
    const made = await guestBooking('pin.only@example.com');
    const ok = await lookup({ reference_code: made.reference_code, pin: made.access_code });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().booking.id).toBe(made.id);
    const wrongPin = made.access_code === '000000' ? '111111' : '000000';
    const bad = await lookup({ reference_code: made.reference_code, pin: wrongPin });
    expect(bad.statusCode).toBe(404);
  });

  it('two venues sharing a booking code: the email or PIN finds the booking it proves', async () => {
    // Codes are unique per facility (shard-ready keys), so another venue may hold the same one.
    const other = await createFacility(t, { bays: 1 });
    const first = await guestBooking('first.venue@example.com');
    const res = await bookAsGuest(t, other.bayIds[0], utcSlot(5, 9), 'second.venue@example.com');
    expect(res.statusCode, res.body).toBe(201);
    const second = res.json() as Made;
    await t.app.db.execute(
      sql`UPDATE bookings SET reference_code = ${first.reference_code} WHERE id = ${second.id}::uuid`,
    );
    for (const [made, email] of [
      [first, 'first.venue@example.com'],
      [second, 'second.venue@example.com'],
    ] as const) {
      const byEmail = await lookup({ reference_code: first.reference_code, email });
      expect(byEmail.statusCode, byEmail.body).toBe(200);
      expect(byEmail.json().booking.id).toBe(made.id);
      const byPin = await lookup({ reference_code: first.reference_code, pin: made.access_code });
      expect(byPin.json().booking.id).toBe(made.id);
    }
  });

  it('refuses malformed lookups with a 400 naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ reference_code: 'AB3K7Z' }, 'email'],
      [{ reference_code: 'AB3K7Z', email: 'a@example.com', pin: '123456' }, 'pin'],
      [{ reference_code: 'not a code', email: 'a@example.com' }, 'reference_code'],
      [{ reference_code: 'AB3K7Z', pin: '12' }, 'pin'],
      [{ reference_code: 'AB3K7Z', email: 'nope' }, 'email'],
      [{ email: 'a@example.com' }, 'reference_code'],
      [{ reference_code: 'AB3K7Z', email: 'a@example.com', extra: 1 }, 'extra'],
    ];
    for (const [payload, field] of cases) {
      const res = await lookup(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.field, JSON.stringify(payload)).toBe(field);
    }
  });

  it('shows the booking to the holder of its manage token, and to nobody else', async () => {
    const made = await guestBooking('viewer@example.com');
    const token = await tokenFor(made, 'viewer@example.com');
    const ok = await manage('GET', made.id, token);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().booking.reference_code).toBe(made.reference_code);

    const missing = await manage('GET', made.id, undefined);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.field).toBe('x-manage-token');
    const forged = await manage('GET', made.id, `${token.slice(0, -4)}AAAA`);
    expect(forged.statusCode).toBe(401);
    expect(forged.json().error.field).toBe('x-manage-token');
  });

  it('a token for booking A cannot read, cancel or move booking B', async () => {
    const a = await guestBooking('alice@example.com');
    const b = await guestBooking('bob@example.com');
    const tokenA = await tokenFor(a, 'alice@example.com');
    const read = await manage('GET', b.id, tokenA);
    const cancel = await manage('POST', b.id, tokenA, '/cancel', {});
    const move = await manage('POST', b.id, tokenA, '/reschedule', { start_time: utcSlot(9, 10) });
    for (const res of [read, cancel, move]) {
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().error).toMatchObject({ code: 'FORBIDDEN', field: 'x-manage-token' });
    }
    const tokenB = await tokenFor(b, 'bob@example.com');
    const still = await manage('GET', b.id, tokenB);
    expect(still.json().booking).toMatchObject({ status: 'confirmed', start_time: b.start_time });
  });

  it('refuses an expired manage token, and access tokens are not manage tokens (nor the reverse)', async () => {
    const made = await guestBooking('late@example.com');
    const tokens = new ManageTokens(t.config.jwtSecret);
    const expired = tokens.issue(made.id, Date.now() - 16 * 60_000);
    const res = await manage('POST', made.id, expired, '/cancel', {});
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toContain('expired');

    const access = await loginAdmin(t);
    expect((await manage('GET', made.id, access)).statusCode).toBe(401);
    const manageToken = await tokenFor(made, 'late@example.com');
    const asBearer = await t.request({
      method: 'GET',
      url: `/api/v1/bookings/${made.id}`,
      token: manageToken,
    });
    expect(asBearer.statusCode).toBe(401);
    const stored = await manage('GET', made.id, manageToken);
    expect(stored.json().booking.status).toBe('confirmed');
  });

  it('reschedules with the token: new time stored, new door QR issued', async () => {
    const made = await guestBooking('mover@example.com', 4, 1);
    const token = await tokenFor(made, 'mover@example.com');
    const before = (await manage('GET', made.id, token)).json().booking.qr_code;
    const to = utcSlot(5, 15);
    const res = await manage('POST', made.id, token, '/reschedule', { start_time: to });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().qr_code).toEqual(expect.any(String));
    expect(res.json().qr_code).not.toBe(before);
    const stored = (await manage('GET', made.id, token)).json().booking;
    expect(Date.parse(stored.start_time)).toBe(Date.parse(to));
  });

  it('cancels with the token: the stored refund is the previewed one, and a retry replays', async () => {
    // Starts in 5 hours: inside the 24-hour free window, so the late refund (50 %) applies.
    const start = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 5 * 3_600_000).toISOString();
    const res = await bookAsGuest(t, venue.bayIds[1], start, 'c@x.io');
    expect(res.statusCode, res.body).toBe(201);
    const made: Made = res.json();
    const found = await lookup({ reference_code: made.reference_code, email: 'c@x.io' });
    const preview = found.json().cancellation;
    expect(preview).toMatchObject({ rule: 'late', refund_percent: 50, refund_cents: 2000 });
    const token = found.json().manage_token;
    const headers = { 'idempotency-key': `guest-cancel-${made.id}` };
    const cancel = await manage('POST', made.id, token, '/cancel', { reason: 'rain' }, headers);
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect(cancel.json()).toMatchObject({
      refund_cents: preview.refund_cents,
      booking: { status: 'cancelled' },
    });
    const again = await manage('POST', made.id, token, '/cancel', { reason: 'rain' }, headers);
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');

    const view = (await manage('GET', made.id, token)).json();
    expect(view.booking).toMatchObject({
      status: 'cancelled',
      refund_cents: 2000,
      cancellation_reason: 'rain',
    });
    expect(view.cancellation).toBeNull();
    expect(view.booking.qr_code).toBeNull();
    const twice = await manage('POST', made.id, token, '/cancel', {});
    expect(twice.statusCode).toBe(409);
  });

  it('locks a booking code after 5 wrong attempts, even for the right email', async () => {
    const made = await guestBooking('target@example.com');
    for (let i = 0; i < 5; i++) {
      const res = await lookup({ reference_code: made.reference_code, email: `guess${i}@example.com` });
      expect(res.statusCode).toBe(404);
    }
    const locked = await lookup({ reference_code: made.reference_code, email: 'target@example.com' });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.field).toBe('reference_code');
  });
});

describe('guest lookup rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite', {
      rateLimit: { enabled: true, loginPerMinute: 3, bookingsPerMinute: 60 },
    });
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => t?.close());

  it('limits lookups per client like logins', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await t.request({
        method: 'POST',
        url: '/api/v1/bookings/lookup',
        payload: { reference_code: `ABCDE${i + 2}`, email: 'x@example.com' },
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([404, 404, 404, 429]);
  });
});
