import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bookAsGuest,
  createFacility,
  type FacilityFixture,
  loginAdmin,
  utcDate,
  utcSlot,
} from '../testing/facility.js';
import { createTestApp, type TestApp, testDatabases } from '../testing/test-app.js';

/** Values that are wrong for every field they replace (types, formats, ranges, injection-ish text). */
const badValue = fc.oneof(
  fc.constant(null),
  fc.constant(''),
  fc.constant('x'),
  fc.constant(-1),
  fc.constant(1e12),
  fc.constant(3.5),
  fc.constant(true),
  fc.constant([]),
  fc.constant({}),
  fc.constant("'; DROP TABLE bookings; --"),
  fc.constant('2025-02-30T25:61:00Z'),
  fc.string({ maxLength: 30 }).map((s) => `not-a-uuid-${s}`),
);

function mutate(valid: Record<string, unknown>, required: string[] = Object.keys(valid)) {
  const keys = Object.keys(valid);
  const variants = [
    // Replace one field with a wrong value.
    fc.tuple(fc.constantFrom(...keys), badValue).map(([key, value]) => ({ ...valid, [key]: value })),
    // Not an object at all.
    fc.oneof(fc.constant([]), fc.constant('text'), fc.integer(), fc.constant(null)),
  ];
  if (required.length > 0) {
    // Drop one required field.
    variants.push(
      fc.constantFrom(...required).map((key) => {
        const copy = { ...valid };
        delete copy[key];
        return copy;
      }),
    );
  }
  return fc.oneof(...variants);
}

describe.each(testDatabases())('bad input never writes and always names a field on %s', (kind) => {
  let t: TestApp;
  let f: FacilityFixture;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp(kind);
    f = await createFacility(t, { bays: 2 });
    admin = await loginAdmin(t);
  });
  afterAll(async () => t?.close());

  const bookingCount = async () => {
    const res = await t.request({
      method: 'GET',
      url: `/api/v1/bookings?facility_id=${f.facilityId}&limit=200`,
      token: admin,
    });
    return res.json().bookings.length as number;
  };

  const expectFieldError = (res: { statusCode: number; body: string }, label: string) => {
    expect(res.statusCode, `${label}: ${res.body}`).toBeGreaterThanOrEqual(400);
    expect(res.statusCode, `${label}: ${res.body}`).toBeLessThan(500);
    const body = JSON.parse(res.body);
    expect(typeof body.error.code).toBe('string');
    expect(typeof body.error.field, `${label}: ${res.body}`).toBe('string');
    expect(body.error.field.length).toBeGreaterThan(0);
  };

  it('POST bodies: single, hold, recurring, group', async () => {
    const customer = { email: 'fuzz@example.com' };
    const valid = {
      '/api/v1/bookings': { simulator_id: f.bayIds[0], start_time: utcSlot(3, 10), duration: 60, customer },
      '/api/v1/holds': { simulator_id: f.bayIds[0], start_time: utcSlot(3, 10), duration: 60, customer },
      '/api/v1/bookings/recurring': {
        simulator_id: f.bayIds[0],
        start_time: utcSlot(3, 10),
        duration: 60,
        customer,
        recurrence: { freq: 'weekly', count: 2 },
      },
      '/api/v1/bookings/group': {
        simulator_ids: f.bayIds,
        start_time: utcSlot(3, 10),
        duration: 60,
        customer,
      },
    } as const;
    const before = await bookingCount();
    // A guest checkout needs `customer`; a hold does not.
    const optional: Record<string, string[]> = { '/api/v1/holds': ['customer'] };
    for (const [url, body] of Object.entries(valid)) {
      const required = Object.keys(body).filter((k) => !(optional[url] ?? []).includes(k));
      await fc.assert(
        fc.asyncProperty(mutate(body as Record<string, unknown>, required), async (payload) => {
          const res = await t.request({ method: 'POST', url, payload: payload as object });
          // Dropping `customer` from a guest checkout is bad input too: 400 naming customer.
          expectFieldError(res, `${url} ${JSON.stringify(payload)}`);
        }),
        { numRuns: 40 },
      );
    }
    expect(await bookingCount()).toBe(before);
  });

  it('POST bodies on an existing booking: cancel, checkin, reschedule', async () => {
    const created = await bookAsGuest(t, f.bayIds[1], utcSlot(4, 10), 'f@e.co');
    const id = created.json().id;
    const cases: [string, Record<string, unknown>, string[]][] = [
      [`/api/v1/bookings/${id}/checkin`, { method: 'pin', code: '123456' }, ['method']],
      [`/api/v1/bookings/${id}/reschedule`, { start_time: utcSlot(4, 12), duration: 60 }, ['start_time']],
    ];
    for (const [url, body, required] of cases) {
      await fc.assert(
        fc.asyncProperty(mutate(body, required), async (payload) => {
          const res = await t.request({ method: 'POST', url, payload: payload as object, token: admin });
          expectFieldError(res, `${url} ${JSON.stringify(payload)}`);
        }),
        { numRuns: 30 },
      );
    }
    // Cancel has only optional fields: wrong types (and an over-long reason) must still be refused.
    const notBoolean = badValue.filter((v) => typeof v !== 'boolean');
    const notString = badValue.filter((v) => typeof v !== 'string');
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          notBoolean.map((refund) => ({ refund })),
          notString.map((reason) => ({ reason })),
          fc.constant({ reason: 'x'.repeat(501) }),
        ),
        async (payload) => {
          const res = await t.request({
            method: 'POST',
            url: `/api/v1/bookings/${id}/cancel`,
            payload,
            token: admin,
          });
          expectFieldError(res, `cancel ${JSON.stringify(payload)}`);
        },
      ),
      { numRuns: 30 },
    );
    const still = await t.request({ method: 'GET', url: `/api/v1/bookings/${id}`, token: admin });
    expect(still.json()).toMatchObject({ status: 'confirmed', start_time: utcSlot(4, 10) });
  });

  it('query strings: availability and quote', async () => {
    const validQueries: Record<string, Record<string, string>> = {
      '/api/v1/availability': { facility_id: f.facilityId, date: utcDate(3), duration: '60' },
      '/api/v1/quote': { simulator_id: f.bayIds[0]!, start_time: utcSlot(3, 10), duration: '60' },
    };
    const badText = fc.oneof(
      fc.constantFrom('', 'x', '-5', '99999', '2025-13-01', 'null', '%00', '1e3', 'Mars/Phobos'),
      fc.string({ maxLength: 20 }).map((s) => `z${s}`),
    );
    for (const [url, query] of Object.entries(validQueries)) {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...Object.keys(query)),
          badText,
          fc.boolean(),
          async (key, value, drop) => {
            const q = new URLSearchParams(query);
            if (drop) q.delete(key);
            else q.set(key, value);
            const res = await t.request({ method: 'GET', url: `${url}?${q.toString()}` });
            if (res.statusCode === 200) {
              // A few "bad" texts are still valid for some keys only when dropped keys are optional.
              throw new Error(`accepted ${url}?${q.toString()}`);
            }
            expectFieldError(res, `${url}?${q.toString()}`);
          },
        ),
        { numRuns: 40 },
      );
    }
  });
});
