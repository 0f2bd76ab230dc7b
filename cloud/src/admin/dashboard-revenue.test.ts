import { localDateOf } from '@clubos/shared/time';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETUP_TIMEOUT_MS } from '../testing/ops-world.js';
import { type PaidBooking, payHold, setPaymentPolicy } from '../testing/paid-bookings.js';
import { type StripeHarness, startStripeHarness } from '../testing/stripe.js';
import { testDatabases } from '../testing/test-app.js';

describe.each(testDatabases())('dashboard revenue from real payments on %s', (kind) => {
  let h: StripeHarness;
  let paid: PaidBooking[];
  beforeAll(async () => {
    h = await startStripeHarness(kind);
    // A 25 % deposit: what is paid online differs from the list price.
    await setPaymentPolicy(h, h.w.facilityA, { mode: 'deposit', deposit_bps: 2500 });
    paid = [await payHold(h, h.w.bayA1, 30), await payHold(h, h.w.bayA2, 31)];
    // A declined card moves no money.
    await payHold(h, h.w.bayA1, 32, '4000000000000002').catch(() => undefined);
    await h.t.app.services.payments.refund(paid[1]!.bookingId, 300, 'late start', 'user:staff');
    await h.settle();
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => h?.close());

  it("is today's succeeded payments minus refunds, not the bookings' list prices", async () => {
    const res = await h.t.request({
      method: 'GET',
      url: `/api/v1/admin/dashboard?facility_id=${h.w.facilityA}`,
      token: h.w.tokens.admin,
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    const deposits = paid.reduce((sum, p) => sum + p.paidCents, 0);
    const listPrices = paid.reduce((sum, p) => sum + p.priceCents, 0);
    expect(deposits).toBeLessThan(listPrices);
    expect(body.today.revenue_cents).toBe(deposits - 300);
    expect(body.today.revenue).toBe((deposits - 300) / 100);
    expect(body.trends.days.at(-1)).toMatchObject({
      date: localDateOf(Date.now(), 'UTC'),
      revenue_cents: deposits - 300,
    });
    // Yesterday nothing moved.
    expect(body.trends.days.at(-2).revenue_cents).toBe(0);
  });

  it("does not count another facility's money", async () => {
    const res = await h.t.request({
      method: 'GET',
      url: `/api/v1/admin/dashboard?facility_id=${h.w.facilityB}`,
      token: h.w.tokens.admin,
    });
    expect(res.json().today.revenue_cents).toBe(0);
  });
});
