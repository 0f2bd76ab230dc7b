import { randomUUID } from 'node:crypto';
import { inArray, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customers } from '../db/schema/index.js';
import { createFacility, type FacilityFixture, loginAdmin, utcSlot } from '../testing/facility.js';
import { createTestApp, type TestApp, testDatabases } from '../testing/test-app.js';

const SETUP_TIMEOUT_MS = 120_000;

interface Made {
  id: string;
  reference_code: string;
  access_code: string;
  price_cents: number;
}

describe.each(testDatabases())('claiming guest bookings on %s', (kind) => {
  let t: TestApp;
  let venue: FacilityFixture;
  let adminToken: string;
  let hour = 8;

  const guestBooking = async (email: string): Promise<Made> => {
    const res = await t.request({
      method: 'POST',
      url: '/api/v1/bookings',
      payload: {
        simulator_id: venue.bayIds[0],
        start_time: utcSlot(3, hour++),
        duration: 60,
        customer: { email, first_name: 'Guest', phone: '+14165550199' },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const register = async (email: string) => {
    const res = await t.request({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email, password: 'account-password-1', first_name: 'Account' },
    });
    expect(res.statusCode, res.body).toBe(201);
    return { token: res.json().access_token as string, customerId: res.json().user.customer_id as string };
  };
  const claim = (token: string | undefined, payload: Record<string, unknown>) =>
    t.request({ method: 'POST', url: '/api/v1/customers/me/claim', payload, ...(token ? { token } : {}) });
  const visibleTo = async (token: string, customerId: string) => {
    const list = await t.request({ method: 'GET', url: '/api/v1/bookings', token });
    const profile = await t.request({ method: 'GET', url: `/api/v1/customers/${customerId}`, token });
    expect(list.statusCode).toBe(200);
    expect(profile.statusCode).toBe(200);
    return {
      listed: (list.json().bookings as { id: string }[]).map((b) => b.id).sort(),
      upcoming: (profile.json().upcoming_bookings as { id: string }[]).map((b) => b.id).sort(),
      profile: profile.json(),
    };
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
    venue = await createFacility(t, { bays: 2 });
    adminToken = await loginAdmin(t);
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => t?.close());

  it('two venues sharing a booking code: the PIN claims the booking it belongs to', async () => {
    const other = await createFacility(t, { bays: 1 });
    const here = await guestBooking('shared.here@example.com');
    const res = await t.request({
      method: 'POST',
      url: '/api/v1/bookings',
      payload: {
        simulator_id: other.bayIds[0],
        start_time: utcSlot(4, 9),
        duration: 60,
        customer: { email: 'shared.there@example.com', first_name: 'Guest' },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const there = res.json() as Made;
    await t.app.db.execute(
      sql`UPDATE bookings SET reference_code = ${here.reference_code} WHERE id = ${there.id}::uuid`,
    );
    const account = await register('shared.claimer@example.com');
    const claimed = await claim(account.token, {
      reference_code: here.reference_code,
      pin: there.access_code,
    });
    expect(claimed.statusCode, claimed.body).toBe(200);
    expect((await visibleTo(account.token, account.customerId)).listed).toEqual([there.id]);
  });

  it('registering with a guest’s email does not reveal the guest’s bookings; a claim with code and PIN does', async () => {
    const first = await guestBooking('victim@example.com');
    const second = await guestBooking('victim@example.com');
    const account = await register('victim@example.com');

    const before = await visibleTo(account.token, account.customerId);
    expect(before.listed).toEqual([]);
    expect(before.upcoming).toEqual([]);
    expect(before.profile.profile).toMatchObject({ first_name: 'Account', phone: null, total_bookings: 0 });
    const direct = await t.request({
      method: 'GET',
      url: `/api/v1/bookings/${first.id}`,
      token: account.token,
    });
    expect(direct.statusCode).toBe(404);

    const claimed = await claim(account.token, {
      reference_code: first.reference_code.toLowerCase(),
      pin: first.access_code,
    });
    expect(claimed.statusCode, claimed.body).toBe(200);
    expect(claimed.json()).toMatchObject({ customer_id: account.customerId, claimed: [{ id: first.id }] });
    expect(claimed.json().claimed[0].qr_code).toEqual(expect.any(String));

    const after = await visibleTo(account.token, account.customerId);
    expect(after.listed).toEqual([first.id]);
    expect(after.upcoming).toEqual([first.id]);
    expect(after.profile.profile).toMatchObject({ total_bookings: 1, total_spent_cents: first.price_cents });
    // One proven booking does not open the guest record's other bookings.
    expect(after.listed).not.toContain(second.id);

    const again = await claim(account.token, {
      reference_code: first.reference_code,
      pin: first.access_code,
    });
    expect(again.statusCode).toBe(200);
    expect(again.json().claimed.map((b: { id: string }) => b.id)).toEqual([first.id]);
  });

  it('the guest can still find a booking by code and the email it was made with', async () => {
    const made = await guestBooking('returning@example.com');
    await register('returning@example.com');
    const res = await t.request({
      method: 'POST',
      url: '/api/v1/bookings/lookup',
      payload: { reference_code: made.reference_code, email: 'returning@example.com' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().booking.id).toBe(made.id);
  });

  it('a guest checkout under an account’s email stays out of the account until claimed', async () => {
    const account = await register('first.come@example.com');
    const made = await guestBooking('First.Come@example.com');
    expect((await visibleTo(account.token, account.customerId)).listed).toEqual([]);
    const found = await t.request({
      method: 'POST',
      url: '/api/v1/bookings/lookup',
      payload: { reference_code: made.reference_code, email: 'first.come@example.com' },
    });
    expect(found.statusCode, found.body).toBe(200);
    const claimed = await claim(account.token, {
      reference_code: made.reference_code,
      pin: made.access_code,
    });
    expect(claimed.statusCode, claimed.body).toBe(200);
    expect((await visibleTo(account.token, account.customerId)).listed).toEqual([made.id]);
  });

  it('answers a wrong PIN with 403 naming pin and an unknown code with 404 naming reference_code', async () => {
    const made = await guestBooking('someone@example.com');
    const account = await register('claimer@example.com');
    const wrongPin = made.access_code === '000000' ? '111111' : '000000';
    const bad = await claim(account.token, { reference_code: made.reference_code, pin: wrongPin });
    expect(bad.statusCode).toBe(403);
    expect(bad.json().error).toMatchObject({ code: 'FORBIDDEN', field: 'pin' });
    const unknown = await claim(account.token, {
      reference_code: made.reference_code === 'ZZZZZZ' ? 'YYYYYY' : 'ZZZZZZ',
      pin: made.access_code,
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toMatchObject({ code: 'NOT_FOUND', field: 'reference_code' });
    for (const [payload, field] of [
      [{ reference_code: 'no', pin: '123456' }, 'reference_code'],
      [{ reference_code: made.reference_code, pin: 'abc' }, 'pin'],
      [{ reference_code: made.reference_code }, 'pin'],
    ] as const) {
      const res = await claim(account.token, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.field).toBe(field);
    }
    expect((await visibleTo(account.token, account.customerId)).listed).toEqual([]);
  });

  it('is for signed-in customers only', async () => {
    const made = await guestBooking('anon@example.com');
    const payload = { reference_code: made.reference_code, pin: made.access_code };
    expect((await claim(undefined, payload)).statusCode).toBe(401);
    expect((await claim(adminToken, payload)).statusCode).toBe(403);
  });

  it('never moves a booking out of another account', async () => {
    const owner = await register('owner@example.com');
    const res = await t.request({
      method: 'POST',
      url: '/api/v1/bookings',
      token: owner.token,
      payload: { simulator_id: venue.bayIds[1], start_time: utcSlot(4, 9), duration: 60 },
    });
    expect(res.statusCode, res.body).toBe(201);
    const made: Made = res.json();
    const thief = await register('thief@example.com');
    const stolen = await claim(thief.token, { reference_code: made.reference_code, pin: made.access_code });
    expect(stolen.statusCode).toBe(409);
    expect(stolen.json().error.field).toBe('reference_code');
    expect((await visibleTo(owner.token, owner.customerId)).listed).toEqual([made.id]);
  });

  it('claims every bay of a group booking made in one checkout', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/api/v1/bookings/group',
      payload: {
        simulator_ids: venue.bayIds,
        start_time: utcSlot(6, 12),
        duration: 60,
        customer: { email: 'group@example.com' },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const group = res.json().bookings as Made[];
    const account = await register('group.lead@example.com');
    const claimed = await claim(account.token, {
      reference_code: group[0]!.reference_code,
      pin: group[0]!.access_code,
    });
    expect(claimed.statusCode, claimed.body).toBe(200);
    const ids = group.map((b) => b.id).sort();
    expect((await visibleTo(account.token, account.customerId)).listed).toEqual(ids);
  });

  it('locks the code after 5 wrong PINs, even for the right one', async () => {
    const made = await guestBooking('guarded@example.com');
    const account = await register('guesser@example.com');
    const wrong = ['000001', '000002', '000003', '000004', '000005', '000006'].filter(
      (p) => p !== made.access_code,
    );
    for (const pin of wrong.slice(0, 5)) {
      expect((await claim(account.token, { reference_code: made.reference_code, pin })).statusCode).toBe(403);
    }
    const locked = await claim(account.token, { reference_code: made.reference_code, pin: made.access_code });
    expect(locked.statusCode).toBe(429);
  });
});

// The claim changes two customer rows' totals, as a batched booking write for both customers does.
// That write takes the key-share locks of its INSERT's foreign-key checks (in row order), then
// `FOR UPDATE` in id order (`BookingWriter.insertBuilt`, booking.writer.ts). A claim taking the rows in another order
// (its own foreign-key check locked the account's record, then it updated the guest's first) could
// deadlock with it: PostgreSQL then aborts one of the two. Deterministic: a second connection plays
// the write's lock steps, the second step once the claim is seen waiting (or done). PostgreSQL
// only: PGlite has a single connection, so nothing ever waits there.
describe.each(testDatabases().filter((k) => k === 'postgres'))(
  'the claim locks customer rows in id order on %s',
  (kind) => {
    let t: TestApp;
    let venue: FacilityFixture;
    let n = 0;
    beforeAll(async () => {
      t = await createTestApp(kind);
      venue = await createFacility(t, { bays: 1 });
    }, SETUP_TIMEOUT_MS);
    afterAll(async () => t?.close());

    it.each([
      { writer: 'the totals lock', lock: 'FOR UPDATE', order: ['guest', 'account'] },
      { writer: "the INSERT's foreign-key checks", lock: 'FOR KEY SHARE', order: ['account', 'guest'] },
    ] as const)(
      'no deadlock with a booking write for both records: $writer ($lock, $order.0 first)',
      async ({ lock, order }) => {
        n++;
        // The guest record gets the lowest id, below the account's.
        const guestId = `00000000-${randomUUID().slice(9)}`;
        const email = `lock-order-${n}@example.com`;
        await t.app.db.insert(customers).values({ id: guestId, email });
        const made = await t.request({
          method: 'POST',
          url: '/api/v1/bookings',
          payload: {
            simulator_id: venue.bayIds[0],
            start_time: utcSlot(3, 8 + n),
            duration: 60,
            customer: { email, first_name: 'Guest' },
          },
        });
        expect(made.statusCode, made.body).toBe(201);
        const registered = await t.request({
          method: 'POST',
          url: '/api/v1/auth/register',
          payload: {
            email: `lock-owner-${n}@example.com`,
            password: 'account-password-1',
            first_name: 'Owner',
          },
        });
        expect(registered.statusCode, registered.body).toBe(201);
        const accountId = registered.json().user.customer_id as string;
        expect(guestId < accountId).toBe(true);
        const idOf = { guest: guestId, account: accountId };

        const writer = new pg.Client({ connectionString: t.config.databaseUrl });
        await writer.connect();
        try {
          await writer.query('BEGIN');
          await writer.query(`SET LOCAL lock_timeout = '15s'`);
          await writer.query(`SELECT id FROM customers WHERE id = $1 ${lock}`, [idOf[order[0]]]);
          let settled = false;
          const claimed = t
            .request({
              method: 'POST',
              url: '/api/v1/customers/me/claim',
              token: registered.json().access_token,
              payload: { reference_code: made.json().reference_code, pin: made.json().access_code },
            })
            .finally(() => {
              settled = true;
            });
          const deadline = Date.now() + 10_000;
          for (;;) {
            const waiting = await writer.query(
              `SELECT count(*)::int AS n FROM pg_stat_activity
             WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
            );
            if (settled || waiting.rows[0].n > 0) break;
            expect(Date.now(), 'the claim neither waited nor finished').toBeLessThan(deadline);
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
          const second = await writer
            .query(`SELECT id FROM customers WHERE id = $1 ${lock}`, [idOf[order[1]]])
            .then(
              () => null,
              (error: Error) => error.message,
            );
          await writer.query(second === null ? 'COMMIT' : 'ROLLBACK');
          const res = await claimed;
          expect({ claim: res.statusCode, writer: second }, res.body).toEqual({ claim: 200, writer: null });
        } finally {
          await writer.end();
        }
        const totals = await t.app.db
          .select({ id: customers.id, bookings: customers.totalBookings })
          .from(customers)
          .where(inArray(customers.id, [guestId, accountId]));
        expect(Object.fromEntries(totals.map((r) => [r.id, r.bookings]))).toEqual({
          [guestId]: 0,
          [accountId]: 1,
        });
      },
    );
  },
);
