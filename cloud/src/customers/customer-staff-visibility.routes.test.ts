import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookings } from '../db/schema/index.js';
import { getCustomer } from '../testing/customer-requests.js';
import { hoursFromNow, type OpsWorld, openOpsWorld, SETUP_TIMEOUT_MS } from '../testing/ops-world.js';
import { type TestApp, testDatabases } from '../testing/test-app.js';

// Staff of a facility see a customer (search, profile, preferences) only once the customer has a
// booking there. A checkout hold is not one, open or expired: a guest who left the checkout must
// stay as unknown to the venue as one who never came. A hold confirmed into a booking is one.
describe.each(testDatabases())("which customers a facility's staff may see on %s", (kind) => {
  let t: TestApp;
  let w: OpsWorld;
  let hour = 30;
  const mark = randomBytes(3).toString('hex');

  /** A checkout hold at bay A1 taken by an anonymous guest with these details; its customer id. */
  const guestHold = async (name: string) => {
    const res = await t.request({
      method: 'POST',
      url: '/api/v1/holds',
      payload: {
        simulator_id: w.bayA1,
        start_time: hoursFromNow(hour++),
        duration: 60,
        customer: { email: `${name}.${mark}@example.com`, first_name: name },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; customer_id: string; start_time: string };
  };
  const searchAs = async (token: string, name: string) => {
    const res = await t.request({
      method: 'GET',
      url: '/api/v1/admin/customers',
      token,
      query: { q: `${name}.${mark}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { customers: { id: string }[]; total: number };
    return { ids: body.customers.map((c) => c.id), total: body.total };
  };
  const preferences = (id: string, token: string) =>
    t.request({
      method: 'PATCH',
      url: `/api/v1/customers/${id}/preferences`,
      token,
      payload: { preferred_times: ['evening'] },
    });
  /** Staff of A see the customer nowhere, exactly as staff of B (where they never were). */
  const expectHidden = async (id: string, name: string) => {
    for (const token of [w.tokens.staffA, w.tokens.staffB]) {
      expect(await searchAs(token, name)).toEqual({ ids: [], total: 0 });
      const profile = await getCustomer(t, id, token);
      expect(profile.statusCode, profile.body).toBe(403);
      expect(profile.body).not.toContain(name);
      expect((await preferences(id, token)).statusCode).toBe(403);
    }
    // The admin still finds them.
    expect(await searchAs(w.tokens.admin, name)).toEqual({ ids: [id], total: 1 });
  };

  beforeAll(async () => ({ t, w } = await openOpsWorld(kind)), SETUP_TIMEOUT_MS);
  afterAll(async () => t?.close());

  it('an open checkout hold does not make a customer visible', async () => {
    const hold = await guestHold('Olive');
    await expectHidden(hold.customer_id, 'Olive');
  });

  it('nor does an expired one still in the table', async () => {
    const hold = await guestHold('Ezra');
    await t.app.db
      .update(bookings)
      .set({ holdExpiresAt: new Date(Date.now() - 60_000) })
      .where(eq(bookings.id, hold.id));
    await expectHidden(hold.customer_id, 'Ezra');
  });

  it('a hold confirmed into a booking makes the customer visible to that facility only', async () => {
    const hold = await guestHold('Cora');
    const confirmed = await t.request({
      method: 'POST',
      url: '/api/v1/bookings',
      payload: { simulator_id: w.bayA1, start_time: hold.start_time, duration: 60, hold_id: hold.id },
    });
    expect(confirmed.statusCode, confirmed.body).toBe(201);
    expect(await searchAs(w.tokens.staffA, 'Cora')).toEqual({ ids: [hold.customer_id], total: 1 });
    const profile = await getCustomer(t, hold.customer_id, w.tokens.staffA);
    expect(profile.statusCode, profile.body).toBe(200);
    expect(profile.json().upcoming_bookings.map((b: { id: string }) => b.id)).toEqual([hold.id]);
    expect((await preferences(hold.customer_id, w.tokens.staffA)).statusCode).toBe(200);
    expect(await searchAs(w.tokens.staffB, 'Cora')).toEqual({ ids: [], total: 0 });
    expect((await getCustomer(t, hold.customer_id, w.tokens.staffB)).statusCode).toBe(403);
  });
});
