import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFacility, type FacilityFixture, utcSlot } from '../testing/facility.js';
import { expectRefused } from '../testing/refusal.js';
import { createTestApp, type TestApp, testDatabases } from '../testing/test-app.js';

/** Bad phones and emails are refused where they come in (400 naming the field), good ones kept as E.164. */
describe.each(testDatabases())(
  'contact details at booking and sign-up on %s',
  { timeout: 120_000 },
  (kind) => {
    let t: TestApp;
    let f: FacilityFixture;

    beforeAll(async () => {
      t = await createTestApp(kind);
      f = await createFacility(t, { minAdvanceHours: 0 });
    }, 240_000);
    afterAll(async () => t?.close());

    const count = async (table: 'customers' | 'bookings') =>
      Number(
        (
          (await t.app.db.execute(sql.raw(`SELECT count(*)::int AS n FROM ${table}`))) as unknown as {
            rows: { n: number }[];
          }
        ).rows[0]!.n,
      );

    it('a guest booking with a phone no numbering plan has is refused, nothing written', async () => {
      const before = { customers: await count('customers'), bookings: await count('bookings') };
      const res = await expectRefused(
        t,
        {
          method: 'POST',
          url: '/api/v1/bookings',
          payload: {
            simulator_id: f.bayIds[0],
            start_time: utcSlot(2, 10),
            duration: 60,
            customer: { email: 'bad.phone@example.com', phone: '+1 555 0001' },
          },
        },
        400,
        'customer.phone',
      );
      expect(res.json().error.message).toMatch(/customer\.phone is not a valid number/);
      expect({ customers: await count('customers'), bookings: await count('bookings') }).toEqual(before);
    });

    it('letters in a phone, or an email without a real domain, are refused by the schema', async () => {
      const body = (customer: Record<string, string>) => ({
        method: 'POST' as const,
        url: '/api/v1/bookings',
        payload: { simulator_id: f.bayIds[0], start_time: utcSlot(2, 11), duration: 60, customer },
      });
      const letters = await t.request(body({ email: 'ok@example.com', phone: 'call me maybe' }));
      expect(letters.statusCode, letters.body).toBe(400);
      expect(letters.body).toMatch(/phone/);
      for (const email of ['ada@example', 'ada..l@example.com', 'ada@exa_mple.com']) {
        const res = await t.request(body({ email }));
        expect(res.statusCode, `${email}: ${res.body}`).toBe(400);
        expect(res.body, email).toMatch(/email/);
      }
    });

    it('a national number is stored in E.164 (read in PHONE_DEFAULT_REGION)', async () => {
      const res = await t.request({
        method: 'POST',
        url: '/api/v1/bookings',
        payload: {
          simulator_id: f.bayIds[0],
          start_time: utcSlot(2, 12),
          duration: 60,
          customer: { email: 'national@example.com', phone: '(416) 555-0123' },
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      const { rows } = (await t.app.db.execute(
        sql`SELECT phone FROM customers WHERE email = 'national@example.com'`,
      )) as unknown as { rows: { phone: string }[] };
      expect(rows[0]?.phone).toBe('+14165550123');
    });

    it('sign-up refuses a bad phone before the account exists', async () => {
      await expectRefused(
        t,
        {
          method: 'POST',
          url: '/api/v1/auth/register',
          payload: { email: 'signup@example.com', password: 'a-long-password-1', phone: '+44 12' },
        },
        400,
        'phone',
      );
      const login = await t.request({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'signup@example.com', password: 'a-long-password-1' },
      });
      expect(login.statusCode).toBe(401);
    });
  },
);
