import { formatMoney } from '@clubos/shared/pricing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../testing/browser.js';
import { SETUP_TIMEOUT_MS } from '../testing/ops-world.js';
import {
  type ConfirmedPaidBooking,
  paidBooking,
  setPaymentPolicy,
  settleRefunds,
} from '../testing/paid-bookings.js';
import { type StripeHarness, startStripeHarness } from '../testing/stripe.js';
import { testDatabases } from '../testing/test-app.js';

describe.each(testDatabases())('receipts of payments and refunds on %s', (kind) => {
  let h: StripeHarness;
  let paid: ConfirmedPaidBooking;
  let reference: string;
  let pin: string;
  beforeAll(async () => {
    h = await startStripeHarness(kind);
    await setPaymentPolicy(h, h.w.facilityA, { mode: 'full' });
    paid = await paidBooking(h, h.w.bayA1, 50);
    const booking = await h.t.request({
      method: 'GET',
      url: `/api/v1/bookings/${paid.id}`,
      token: h.w.tokens.customer,
    });
    reference = booking.json().reference_code;
    pin = booking.json().access_code;
    const cancelled = await h.t.request({
      method: 'POST',
      url: `/api/v1/bookings/${paid.id}/cancel`,
      token: h.w.tokens.staffA,
      payload: { refund_cents: 1000, reason: 'goodwill' },
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    await settleRefunds(h);
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => h?.close());

  const list = (headers: Record<string, string>) =>
    h.t.app.inject({ method: 'GET', url: `/api/v1/bookings/${paid.id}/receipts`, headers });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('lists a receipt for the payment and one for the refund, amounts formatted', async () => {
    const res = await list(bearer(h.w.tokens.customer));
    expect(res.statusCode, res.body).toBe(200);
    const receipts = res.json().receipts;
    expect(receipts.map((r: { kind: string }) => r.kind)).toEqual(['payment', 'refund']);
    expect(receipts[0]).toMatchObject({
      id: paid.paymentId,
      amount_cents: paid.price_cents,
      amount: formatMoney(paid.price_cents, 'USD'),
      status: 'succeeded',
    });
    expect(receipts[1]).toMatchObject({ amount_cents: 1000, amount: '$10.00', status: 'succeeded' });
    expect(receipts[1].description).toContain('goodwill');
  });

  it("opens for the venue's staff and a guest's manage link, not for anyone else", async () => {
    expect((await list(bearer(h.w.tokens.staffA))).statusCode).toBe(200);
    expect((await list(bearer(h.w.tokens.staffB))).statusCode).toBe(404);
    expect((await list(bearer(h.w.tokens.otherCustomer))).statusCode).toBe(404);
    expect((await list({})).statusCode).toBe(401);
    const lookup = await h.t.app.inject({
      method: 'POST',
      url: '/api/v1/bookings/lookup',
      payload: { reference_code: reference, pin },
    });
    expect(lookup.statusCode, lookup.body).toBe(200);
    const viaLink = await list({ 'x-manage-token': lookup.json().manage_token });
    expect(viaLink.statusCode, viaLink.body).toBe(200);
    expect(viaLink.json().receipts).toHaveLength(2);
    expect((await list({ 'x-manage-token': 'not-a-token' })).statusCode).toBe(401);
  });

  it('answers 404 for a receipt id of another booking', async () => {
    const res = await h.t.app.inject({
      method: 'GET',
      url: `/api/v1/bookings/${paid.id}/receipts/${crypto.randomUUID()}`,
      headers: bearer(h.w.tokens.customer),
    });
    expect(res.statusCode).toBe(404);
  });

  it('renders a printable refund receipt in Chromium', async () => {
    const receipts = (await list(bearer(h.w.tokens.customer))).json().receipts;
    const address = h.webhookUrl.replace(/\/api\/v1\/payments\/stripe\/webhook$/, '');
    let browser: Browser | undefined;
    try {
      browser = await launchChromium();
      const context = await browser.newContext({ extraHTTPHeaders: bearer(h.w.tokens.customer) });
      const page = await context.newPage();
      const res = await page.goto(`${address}${receipts[1].url}`);
      expect(res?.status()).toBe(200);
      expect(res?.headers()['content-type']).toContain('text/html');
      expect(await page.title()).toContain('Refund receipt');
      expect(await page.getByTestId('receipt-amount').textContent()).toBe('−$10.00');
      const body = (await page.locator('main').textContent()) ?? '';
      expect(body).toContain(reference);
      expect(body).toContain('Refund: cancelled: goodwill');
      expect(body).toContain(paid.intentId);
    } finally {
      await browser?.close();
    }
  });
});
