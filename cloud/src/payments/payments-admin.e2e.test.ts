import { randomUUID } from 'node:crypto';
import { formatMoney } from '@clubos/shared/pricing';
import { localDateOf } from '@clubos/shared/time';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openPage, screenshot } from '../testing/browser.js';
import { SETUP_TIMEOUT_MS } from '../testing/ops-world.js';
import { type PaidBooking, payHold, setPaymentPolicy } from '../testing/paid-bookings.js';
import { type StripeHarness, startStripeHarness } from '../testing/stripe.js';
import { reportToCollect } from '../testing/walk-in-dues.js';

describe('the admin Payments view in Chromium', { timeout: 120_000 }, () => {
  let h: StripeHarness;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let first: PaidBooking;
  let second: PaidBooking;
  const owedWalkIn = randomUUID();

  beforeAll(async () => {
    h = await startStripeHarness('pglite');
    browser = await launchChromium();
    await setPaymentPolicy(h, h.w.facilityA);
    first = await payHold(h, h.w.bayA1, 30);
    second = await payHold(h, h.w.bayA2, 31);
    await h.t.app.services.payments.refund(second.bookingId, 1250, 'late start', 'user:staff');
    await reportToCollect(h, owedWalkIn, 2750);
    await h.settle();
    ({ page, errors } = await openPage(browser, h.webhookUrl.replace(/\/api\/.*$/, ''), '/admin/payments'));
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it("shows today's payout totals and every payment and refund, in the shared money format", async () => {
    await page.getByLabel('Email').fill(h.t.config.adminEmail);
    await page.getByLabel('Password').fill(h.t.config.adminPassword!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The admin sees every facility; pick the one that took the money.
    const picker = page.getByLabel('Facility');
    if (await picker.count()) await picker.selectOption(h.w.facilityA);
    const totals = page.getByTestId('day-totals');
    await totals.waitFor();
    expect(await page.getByLabel('Day (venue time)').inputValue()).toBe(localDateOf(Date.now(), 'UTC'));
    const gross = first.paidCents + second.paidCents;
    const usd = totals.locator('[data-currency="usd"]');
    expect(await usd.getByTestId('gross').textContent()).toBe(formatMoney(gross, 'USD'));
    expect(await usd.getByTestId('refunded').textContent()).toBe(formatMoney(1250, 'USD'));
    expect(await usd.getByTestId('net').textContent()).toBe(formatMoney(gross - 1250, 'USD'));
    const moves = page.getByTestId('movements');
    expect(await moves.locator(`[data-payment="${first.paymentId}"]`).textContent()).toContain(
      formatMoney(first.paidCents, 'USD'),
    );
    expect(await moves.locator('[data-refund]').textContent()).toContain('late start');
    // A walk-in the edge sold offline, synced: what it owes, still to collect.
    const due = page.getByTestId('to-collect').locator(`[data-due="${owedWalkIn}"]`);
    expect(await due.textContent()).toContain(formatMoney(2750, 'USD'));
    expect(await due.textContent()).toContain('owed');
    await screenshot(page, '30-admin-payments');
    expect(errors).toEqual([]);
  });

  it("opens one booking's payments and refunds from the day's list", async () => {
    await page.locator(`[data-payment="${second.paymentId}"]`).getByRole('button').click();
    const panel = page.getByTestId('booking-money');
    await panel.getByTestId('booking-totals').waitFor();
    expect(await panel.getByTestId('net').textContent()).toBe(formatMoney(second.paidCents - 1250, 'USD'));
    expect(errors).toEqual([]);
  });

  it('shows an empty day as such', async () => {
    await page.getByLabel('Day (venue time)').fill('2020-01-01');
    await page.getByText('No money moved.').waitFor();
    expect(errors).toEqual([]);
  });
});
