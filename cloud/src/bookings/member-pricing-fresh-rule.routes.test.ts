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

// A member rule an admin just added applies at once on every path that prices for a customer,
// although the facility's catalog was cached (for up to 10 s) without it: whose price a booking
// pays is decided from the rules of the catalog validated against the change log, not the cache.
describe.each(testDatabases())('a member rule just added prices members at once on %s', (kind) => {
  let t: TestApp;
  let w: OpsWorld;

  const post = (url: string, payload: object, headers: Record<string, string>) =>
    t.request({ method: 'POST', url: `/api/v1${url}`, headers, payload });
  const quote = (headers: Record<string, string>, startTime: string) =>
    t.request({
      method: 'GET',
      url: `/api/v1/quote?simulator_id=${w.bayA1}&start_time=${encodeURIComponent(startTime)}&duration=60`,
      headers,
    });

  /**
   * Runs `fn` right after the gold rule is added to facility A, whose catalog is cached without
   * any member rule (a quote just loaded it); removes the rule afterwards.
   */
  const withFreshGoldRule = async (fn: () => Promise<void>) => {
    const warm = await quote(headersFor(w, 'customer'), hoursFromNow(200));
    expect(warm.json().total_cents, warm.body).toBe(PUBLIC_CENTS);
    expect(t.app.services.availability.catalogs.peek(w.facilityA)).toBeDefined();
    const ruleId = await addGoldMemberRule(t, w);
    try {
      await fn();
    } finally {
      const removed = await t.request({
        method: 'DELETE',
        url: `/api/v1/admin/pricing-rules/${ruleId}`,
        token: w.tokens.admin,
      });
      expect(removed.statusCode, removed.body).toBe(200);
    }
  };

  beforeAll(async () => {
    ({ t, w } = await openOpsWorld(kind));
    await setMemberTier(t, w, w.customerId, 'gold');
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => t?.close());

  it("a reschedule right after the rule is added prices the gold member's booking at the member price", async () => {
    const mine = await book(t, w.tokens.customer, w.bayA1, hoursFromNow(40));
    expect(mine.price_cents).toBe(PUBLIC_CENTS);
    await withFreshGoldRule(async () => {
      const moved = await post(
        `/bookings/${mine.id}/reschedule`,
        { start_time: hoursFromNow(41) },
        headersFor(w, 'customer'),
      );
      expect(moved.statusCode, moved.body).toBe(200);
      expect(moved.json().price_cents).toBe(GOLD_CENTS);
    });
  });

  it("a refused reschedule's alternatives carry the member price", async () => {
    const taken = hoursFromNow(50);
    await book(t, w.tokens.otherCustomer, w.bayA1, taken);
    const mine = await book(t, w.tokens.customer, w.bayA1, hoursFromNow(52));
    await withFreshGoldRule(async () => {
      const refused = await post(
        `/bookings/${mine.id}/reschedule`,
        { start_time: taken },
        headersFor(w, 'staffA'),
      );
      expect(refused.statusCode, refused.body).toBe(409);
      const prices = (refused.json().alternatives as { price_cents: number }[]).map((a) => a.price_cents);
      expect(prices.length).toBeGreaterThan(0);
      expect(new Set(prices)).toEqual(new Set([GOLD_CENTS]));
    });
  });

  it('a quote, a recurring series and a group booking right after the rule is added', async () => {
    await withFreshGoldRule(async () => {
      const quoted = await quote(headersFor(w, 'customer'), hoursFromNow(60));
      expect(quoted.statusCode, quoted.body).toBe(200);
      expect(quoted.json().total_cents).toBe(GOLD_CENTS);
    });
    await withFreshGoldRule(async () => {
      const series = await post(
        '/bookings/recurring',
        {
          simulator_id: w.bayA2,
          start_time: hoursFromNow(61),
          duration: 60,
          recurrence: { freq: 'weekly', count: 2 },
        },
        headersFor(w, 'customer'),
      );
      expect(series.statusCode, series.body).toBe(201);
      expect(series.json().bookings.map((b: { price_cents: number }) => b.price_cents)).toEqual([
        GOLD_CENTS,
        GOLD_CENTS,
      ]);
    });
    await withFreshGoldRule(async () => {
      const group = await post(
        '/bookings/group',
        { simulator_ids: [w.bayA1, w.bayA2], start_time: hoursFromNow(62), duration: 60 },
        headersFor(w, 'customer'),
      );
      expect(group.statusCode, group.body).toBe(201);
      expect(group.json().bookings.map((b: { price_cents: number }) => b.price_cents)).toEqual([
        GOLD_CENTS,
        GOLD_CENTS,
      ]);
    });
  });
});
