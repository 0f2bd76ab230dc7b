import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addGoldMemberRule, GOLD_CENTS, PUBLIC_CENTS, setMemberTier } from '../testing/member-pricing.js';
import {
  book,
  headersFor,
  hoursFromNow,
  type OpsWorld,
  openOpsWorld,
  SETUP_TIMEOUT_MS,
} from '../testing/ops-world.js';
import { type TestApp, testDatabases } from '../testing/test-app.js';

describe.each(testDatabases())('member pricing on %s', (kind) => {
  let t: TestApp;
  let w: OpsWorld;
  let memberRuleId: string;
  let memberEmail: string;

  const quote = async (startTime: string, headers: Record<string, string> = {}, customerId?: string) => {
    const res = await t.request({
      method: 'GET',
      url: '/api/v1/quote',
      headers,
      query: {
        simulator_id: w.bayA1,
        start_time: startTime,
        duration: '60',
        ...(customerId ? { customer_id: customerId } : {}),
      },
    });
    return res;
  };
  const listed = async (startTime: string, headers: Record<string, string> = {}) => {
    const res = await t.request({
      method: 'GET',
      url: '/api/v1/availability',
      headers,
      query: { simulator_id: w.bayA1, date: startTime.slice(0, 10), duration: '60' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const slots = res.json().simulators[0].slots as { start_time: string; price_cents: number }[];
    const slot = slots.find((s) => Date.parse(s.start_time) === Date.parse(startTime));
    expect(slot, `slot ${startTime} listed`).toBeDefined();
    return slot!.price_cents;
  };
  const setTier = (customerId: string, tier: string | null) => setMemberTier(t, w, customerId, tier);

  beforeAll(async () => {
    ({ t, w } = await openOpsWorld(kind));
    memberRuleId = await addGoldMemberRule(t, w);
    await setTier(w.customerId, 'gold');
    const profile = await t.request({
      method: 'GET',
      url: `/api/v1/customers/${w.customerId}`,
      token: w.tokens.admin,
    });
    memberEmail = profile.json().email;
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => t?.close());

  it('a signed-in gold member sees and pays the member price: quote = listing = stored booking', async () => {
    const start = hoursFromNow(24);
    const member = headersFor(w, 'customer');
    const q = await quote(start, member);
    expect(q.statusCode, q.body).toBe(200);
    expect(q.json().total_cents).toBe(GOLD_CENTS);
    const line = (q.json().lines as { rule_id: string | null; explanation: string }[]).find(
      (l) => l.rule_id === memberRuleId,
    );
    expect(line?.explanation).toMatch(/gold members/);
    expect(await listed(start, member)).toBe(GOLD_CENTS);
    const booking = await book(t, w.tokens.customer, w.bayA1, start);
    expect(booking.price_cents).toBe(GOLD_CENTS);
    const stored = await t.request({
      method: 'GET',
      url: `/api/v1/bookings/${booking.id}`,
      token: w.tokens.admin,
    });
    expect(stored.json().price_cents).toBe(GOLD_CENTS);
  });

  it('a guest and a signed-in non-member pay the public price', async () => {
    const start = hoursFromNow(25);
    const guestQuote = await quote(start);
    expect(guestQuote.json().total_cents).toBe(PUBLIC_CENTS);
    expect(guestQuote.json().lines.some((l: { rule_id: string | null }) => l.rule_id === memberRuleId)).toBe(
      false,
    );
    expect(await listed(start)).toBe(PUBLIC_CENTS);
    const other = headersFor(w, 'customer');
    other.authorization = `Bearer ${w.tokens.otherCustomer}`;
    expect((await quote(start, other)).json().total_cents).toBe(PUBLIC_CENTS);
    expect(await listed(start, other)).toBe(PUBLIC_CENTS);
    expect((await book(t, w.tokens.otherCustomer, w.bayA1, start)).price_cents).toBe(PUBLIC_CENTS);
  });

  it("a guest checking out with a member's email still pays the public price", async () => {
    const res = await t.request({
      method: 'POST',
      url: '/api/v1/bookings',
      payload: {
        simulator_id: w.bayA1,
        start_time: hoursFromNow(26),
        duration: 60,
        customer: { email: memberEmail, first_name: 'Not', last_name: 'Casey' },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().price_cents).toBe(PUBLIC_CENTS);
  });

  it('staff booking for a member, or quoting with customer_id, get the member price', async () => {
    const start = hoursFromNow(27);
    const staff = headersFor(w, 'staffA');
    expect((await quote(start, staff)).json().total_cents).toBe(PUBLIC_CENTS);
    expect((await quote(start, staff, w.customerId)).json().total_cents).toBe(GOLD_CENTS);
    expect((await quote(start, headersFor(w, 'edgeA'), w.customerId)).json().total_cents).toBe(GOLD_CENTS);
    const listing = await t.request({
      method: 'GET',
      url: '/api/v1/availability',
      headers: staff,
      query: {
        facility_id: w.facilityA,
        date: start.slice(0, 10),
        duration: '60',
        customer_id: w.customerId,
      },
    });
    const slot = (
      listing.json().simulators as {
        simulator_id: string;
        slots: { start_time: string; price_cents: number }[];
      }[]
    )
      .find((b) => b.simulator_id === w.bayA1)!
      .slots.find((s) => Date.parse(s.start_time) === Date.parse(start))!;
    expect(slot.price_cents).toBe(GOLD_CENTS);
    const booking = await book(t, w.tokens.staffA, w.bayA1, start, 60, { email: memberEmail });
    expect(booking.price_cents).toBe(GOLD_CENTS);
  });

  it('refuses customer_id from callers who may not price for that customer, naming the field', async () => {
    const start = hoursFromNow(28);
    const cases: [Record<string, string>, string, number][] = [
      [headersFor(w, 'anonymous'), w.customerId, 401],
      [{ authorization: `Bearer ${w.tokens.otherCustomer}` }, w.customerId, 403],
      [headersFor(w, 'staffB'), w.customerId, 403],
      [headersFor(w, 'staffA'), '00000000-0000-4000-8000-000000000000', 404],
      [headersFor(w, 'staffA'), 'not-a-uuid', 400],
    ];
    for (const [headers, customerId, status] of cases) {
      const res = await quote(start, headers, customerId);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json().error.field).toBe('customer_id');
    }
    // A customer may name themself.
    expect((await quote(start, headersFor(w, 'customer'), w.customerId)).json().total_cents).toBe(GOLD_CENTS);
  });

  it('a cached listing never leaks a member price to a guest, or the public price to a member', async () => {
    const start = hoursFromNow(29);
    const member = headersFor(w, 'customer');
    // Back to back, well within the listing cache's time to live and with no booking in between.
    const prices = [
      await listed(start),
      await listed(start, member),
      await listed(start),
      await listed(start, member),
    ];
    expect(prices).toEqual([PUBLIC_CENTS, GOLD_CENTS, PUBLIC_CENTS, GOLD_CENTS]);
  });

  it('a membership change applies to the next quote, and ending it restores the public price', async () => {
    const start = hoursFromNow(30);
    const other = { authorization: `Bearer ${w.tokens.otherCustomer}` };
    await setTier(w.otherCustomerId, 'gold');
    expect((await quote(start, other)).json().total_cents).toBe(GOLD_CENTS);
    expect(await listed(start, other)).toBe(GOLD_CENTS);
    await setTier(w.otherCustomerId, 'silver');
    expect((await quote(start, other)).json().total_cents).toBe(PUBLIC_CENTS);
    await setTier(w.otherCustomerId, null);
    expect((await quote(start, other)).json().total_cents).toBe(PUBLIC_CENTS);
    expect(await listed(start, other)).toBe(PUBLIC_CENTS);
  });

  // What the booking site does on each live event: the same listing again, as each visitor, after
  // the facility's schedule moved. Every caller keeps their own prices through the new version.
  it('a listing asked again after a booking keeps each caller their own prices', async () => {
    const start = hoursFromNow(31);
    const platinum = await t.request({
      method: 'POST',
      url: '/api/v1/admin/pricing-rules',
      token: w.tokens.admin,
      payload: {
        facility_id: w.facilityA,
        name: 'Platinum member discount',
        type: 'member',
        conditions: { member_tiers: ['platinum'] },
        price_modifier: -30,
        modifier_type: 'percentage',
        priority: 20,
      },
    });
    expect(platinum.statusCode, platinum.body).toBe(201);
    await setTier(w.otherCustomerId, 'platinum');
    const callers = [
      headersFor(w, 'customer'),
      { authorization: `Bearer ${w.tokens.otherCustomer}` },
      headersFor(w, 'anonymous'),
    ];
    const expected = [GOLD_CENTS, 3150, PUBLIC_CENTS];
    try {
      for (const headers of callers) await listed(start, headers);
      // Another bay's hour is sold: the facility's version moves, as it does before a live event.
      await book(t, w.tokens.admin, w.bayA2, start, 60, { email: `live-${kind}@example.com` });
      expect(await Promise.all(callers.map((headers) => listed(start, headers)))).toEqual(expected);
      expect(await Promise.all(callers.map((headers) => listed(start, headers)))).toEqual(expected);
    } finally {
      await setTier(w.otherCustomerId, null);
    }
  });

  // The site renews an expired session on a 401; a listing quietly priced for nobody would instead
  // show a signed-in member the public prices.
  it('answers a refused access token with 401 on the listing, not a public listing', async () => {
    const res = await t.request({
      method: 'GET',
      url: '/api/v1/availability',
      headers: { authorization: 'Bearer expired.access.token' },
      query: { facility_id: w.facilityA, date: hoursFromNow(24).slice(0, 10), duration: '60' },
    });
    expect(res.statusCode, res.body).toBe(401);
    expect(res.json().error.code).toBe('INVALID_TOKEN');
  });
});
