import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCustomer } from '../testing/customer-requests.js';
import { book, hoursFromNow, type OpsWorld, openOpsWorld, SETUP_TIMEOUT_MS } from '../testing/ops-world.js';
import { type TestApp, testDatabases } from '../testing/test-app.js';

// A customer's totals on GET /customers/:id: staff see them from the bookings at their own
// facilities, counted the way the customer record counts; admins and the customer see the record.
describe.each(testDatabases())('customer totals as staff see them on %s', (kind) => {
  let t: TestApp;
  let w: OpsWorld;
  beforeAll(async () => ({ t, w } = await openOpsWorld(kind)), SETUP_TIMEOUT_MS);
  afterAll(async () => t?.close());

  const get = (id: string, token?: string, headers?: Record<string, string>) =>
    getCustomer(t, id, token, headers);

  // Dana books at A (one booking kept, one cancelled late with a partial refund, one checkout
  // hold still open) and at B; staff of C, where she never booked, must not see her at all.
  let dana: { id: string; token: string };
  let staffC: string;
  type Made = Awaited<ReturnType<typeof book>> & { created_at: string };
  const bookAs = async (token: string, bay: string, start: string) =>
    (await book(t, token, bay, start)) as Made;
  let keptA: Made;
  let cancelledA: Made;
  let refundA: number;
  let keptB: Made;
  let hold: { id: string; customer_id: string };
  type Profile = {
    total_bookings: number;
    total_spent: number;
    total_spent_cents: number;
    last_booking_at: string | null;
  };
  const figures = (body: { profile: Profile }) => ({
    total_bookings: body.profile.total_bookings,
    total_spent: body.profile.total_spent,
    total_spent_cents: body.profile.total_spent_cents,
    last_booking_at: body.profile.last_booking_at,
  });
  const ids = (list: { id: string }[]) => list.map((b) => b.id);

  beforeAll(async () => {
    const registered = await t.request({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: {
        email: `dana-${Date.now()}@example.com`,
        password: 'customer-password-1',
        first_name: 'Dana',
        last_name: 'Two-Venues',
      },
    });
    expect(registered.statusCode, registered.body).toBe(201);
    dana = { id: registered.json().user.customer_id, token: registered.json().access_token };

    // Bookings made one after the other, so each has its own created_at.
    keptA = await bookAs(dana.token, w.bayA1, hoursFromNow(40));
    cancelledA = await bookAs(dana.token, w.bayA1, hoursFromNow(3));
    const cancel = await t.request({
      method: 'POST',
      url: `/api/v1/bookings/${cancelledA.id}/cancel`,
      token: dana.token,
      payload: {},
    });
    expect(cancel.statusCode, cancel.body).toBe(200);
    refundA = cancel.json().refund_cents;
    // Inside the free period's end: a partial refund, so spend is neither the price nor zero.
    expect(refundA).toBeGreaterThan(0);
    expect(refundA).toBeLessThan(cancelledA.price_cents);
    keptB = await bookAs(dana.token, w.bayB1, hoursFromNow(42));
    const held = await t.request({
      method: 'POST',
      url: '/api/v1/holds',
      token: dana.token,
      payload: { simulator_id: w.bayA2, start_time: hoursFromNow(41), duration: 60 },
    });
    expect(held.statusCode, held.body).toBe(201);
    hold = held.json();
    expect(hold.customer_id).toBe(dana.id);

    const facilityC = await t.app.services.facilityRepository.insertFacility({
      name: `Venue C ${Date.now()}`,
      timezone: 'UTC',
    });
    const email = `staff-c-${Date.now()}@example.com`;
    const created = await t.request({
      method: 'POST',
      url: '/api/v1/auth/users',
      token: w.tokens.admin,
      payload: { email, password: 'staff-password-1', role: 'staff', facility_ids: [facilityC.id] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const login = await t.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: 'staff-password-1' },
    });
    expect(login.statusCode).toBe(200);
    staffC = login.json().access_token;
  }, SETUP_TIMEOUT_MS);

  it('gives admins and the customer the record: every facility, holds not counted', async () => {
    const spent = keptA.price_cents + cancelledA.price_cents - refundA + keptB.price_cents;
    for (const token of [w.tokens.admin, dana.token]) {
      const res = await get(dana.id, token);
      expect(res.statusCode, res.body).toBe(200);
      const { last_booking_at, ...totals } = figures(res.json());
      expect(totals).toEqual({ total_bookings: 3, total_spent: spent / 100, total_spent_cents: spent });
      // The record notes the instant its write ran: the last booking's, a moment after it was built.
      const lag = Date.parse(last_booking_at!) - Date.parse(keptB.created_at);
      expect(lag).toBeGreaterThanOrEqual(0);
      expect(lag).toBeLessThan(5_000);
      expect(ids(res.json().upcoming_bookings)).toEqual([keptA.id, keptB.id]);
      expect(ids(res.json().booking_history)).toEqual([cancelledA.id]);
    }
  });

  it("shows staff of A only A's bookings, and totals from them", async () => {
    const res = await get(dana.id, w.tokens.staffA);
    expect(res.statusCode, res.body).toBe(200);
    const atA = keptA.price_cents + cancelledA.price_cents - refundA;
    // The cancelled booking still counts (less its refund); the open hold does not.
    expect(figures(res.json())).toEqual({
      total_bookings: 2,
      total_spent: atA / 100,
      total_spent_cents: atA,
      last_booking_at: cancelledA.created_at,
    });
    expect(ids(res.json().upcoming_bookings)).toEqual([keptA.id]);
    expect(ids(res.json().booking_history)).toEqual([cancelledA.id]);
  });

  it("shows staff of B only B's booking and its totals", async () => {
    const res = await get(dana.id, w.tokens.staffB);
    expect(res.statusCode, res.body).toBe(200);
    expect(figures(res.json())).toEqual({
      total_bookings: 1,
      total_spent: keptB.price_cents / 100,
      total_spent_cents: keptB.price_cents,
      last_booking_at: keptB.created_at,
    });
    expect(ids(res.json().upcoming_bookings)).toEqual([keptB.id]);
    expect(res.json().booking_history).toEqual([]);
  });

  it("adds up per facility to the record's totals: counted the way the record counts", async () => {
    const [a, b, all] = await Promise.all(
      [w.tokens.staffA, w.tokens.staffB, w.tokens.admin].map(async (token) =>
        figures((await get(dana.id, token)).json()),
      ),
    );
    expect(a!.total_bookings + b!.total_bookings).toBe(all!.total_bookings);
    expect(a!.total_spent_cents + b!.total_spent_cents).toBe(all!.total_spent_cents);
  });

  it('answers a preferences change with the same staff-scoped view', async () => {
    const res = await t.request({
      method: 'PATCH',
      url: `/api/v1/customers/${dana.id}/preferences`,
      token: w.tokens.staffB,
      payload: { preferred_times: ['evening'] },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().profile.total_bookings).toBe(1);
    expect(ids(res.json().upcoming_bookings)).toEqual([keptB.id]);
  });

  it('refuses staff of a facility where the customer never booked', async () => {
    const res = await get(dana.id, staffC);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
    expect(res.body).not.toContain('Dana');
  });
});
