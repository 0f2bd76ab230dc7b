import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { BookingRepository } from '../bookings/booking.repository.js';
import { screenshot, venueClock } from '../testing/browser.js';
import { checkoutSiteSuite } from '../testing/checkout-site.js';

const ZONE = 'America/Toronto';
const { at, dayFromNow } = venueClock(ZONE);

// A customer pays on Stripe's hosted page (the simulator's) and comes back to the site.
describe('customer site checkout with online payment in Chromium', { timeout: 120_000 }, () => {
  const site = checkoutSiteSuite(
    { name: 'Paid Fairways', timezone: ZONE, bays: 2, open: '08:00', close: '23:00', hourlyRateCents: 4000 },
    { mode: 'full' },
  );
  const date = dayFromNow(2);

  /** Picks a time, fills the guest details and books: the browser leaves for the payment page. */
  async function bookAndLeaveForPayment(page: Page, bay: number, time: string, email: string) {
    await page.getByLabel('Date', { exact: true }).fill(date);
    await page.locator('.bay').first().waitFor();
    await page.locator(`[data-slot="${site.venue.bayIds[bay]}|${at(date, time)}"]`).click();
    await page.getByTestId('quote-total').waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('First name').fill('Paula');
    await page.getByRole('button', { name: /^Book for/ }).click();
    await page.waitForURL((url) => url.href.startsWith(`${site.sim.url}/c/pay/`));
    expect(await page.textContent('#total')).toBe('$40.00');
  }

  async function typeCard(page: Page, number: string) {
    await page.fill('#email', 'paula@example.com');
    await page.fill('#cardNumber', number);
    await page.fill('#cardExpiry', '12 / 34');
    await page.fill('#cardCvc', '123');
    await page.fill('#billingName', 'Paula Payer');
    await page.click('#submit');
  }

  /** The confirmation page's QR and PIN, and the booking id from its URL. */
  async function confirmation(page: Page) {
    await page.waitForURL(/\/confirmation\/[0-9a-f-]{36}$/);
    const qr = page.locator('img.qr');
    await qr.waitFor();
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    const pin = (await page.getByTestId('pin').textContent())?.trim();
    expect(pin).toMatch(/^\d{6}$/);
    return { id: page.url().split('/').pop()!, pin };
  }

  /** The Back link of the hosted page: the site says the time is held and nothing was charged. */
  async function backToSiteHeld(page: Page) {
    await page.click('#cancel');
    await page.waitForURL(/\/checkout\/return\?booking_id=/);
    const notice = page.getByTestId('checkout-return');
    await notice.waitFor();
    expect(await notice.getAttribute('data-state')).toBe('awaiting_payment');
    expect(await notice.textContent()).toContain('Your time is still held for you');
    expect(await notice.textContent()).toContain('nothing was charged');
    await page.getByRole('link', { name: 'Pay now' }).waitFor();
    return new URL(page.url()).searchParams.get('booking_id')!;
  }

  const stored = (id: string) => new BookingRepository(site.server.t.app.db).findById(id);

  it('pays with 4242 and lands on the confirmation with QR and PIN', async () => {
    const { page, errors } = await site.open('/');
    await bookAndLeaveForPayment(page, 0, '10:00', 'paula.paid@example.com');
    await screenshot(page, 'pay-01-hosted-page');
    await typeCard(page, '4242 4242 4242 4242');
    const { id, pin } = await confirmation(page);
    expect(await page.locator('h1').textContent()).toContain('Bay 1');
    await screenshot(page, 'pay-02-confirmation');
    expect(await stored(id)).toMatchObject({ status: 'confirmed', paymentStatus: 'paid', accessCode: pin });
    expect(errors).toEqual([]);
  });

  it('keeps the hold after a declined card and says so', async () => {
    const { page, errors } = await site.open('/');
    await bookAndLeaveForPayment(page, 0, '12:00', 'paula.declined@example.com');
    await typeCard(page, '4000 0000 0000 0002');
    await page.waitForSelector('#error');
    expect(await page.textContent('#error')).toBe('Your card has been declined.');
    const id = await backToSiteHeld(page);
    await screenshot(page, 'pay-03-declined-held');
    const row = await stored(id);
    expect(row).toMatchObject({ status: 'pending', accessCode: null });
    expect(row?.holdExpiresAt?.getTime()).toBeGreaterThan(Date.now());
    expect(errors).toEqual([]);
  });

  it('confirms after an approved 3-D Secure challenge', async () => {
    const { page, errors } = await site.open('/');
    await bookAndLeaveForPayment(page, 1, '10:00', 'paula.3ds@example.com');
    await typeCard(page, '4000 0027 6000 3184');
    await page.waitForURL(/\/3ds\/pi_/);
    await page.click('#approve');
    const { id } = await confirmation(page);
    expect(await stored(id)).toMatchObject({ status: 'confirmed', paymentStatus: 'paid' });
    expect(errors).toEqual([]);
  });

  it('does not confirm after a denied 3-D Secure challenge', async () => {
    const { page, errors } = await site.open('/');
    await bookAndLeaveForPayment(page, 1, '12:00', 'paula.denied@example.com');
    await typeCard(page, '4000 0027 6000 3184');
    await page.waitForURL(/\/3ds\/pi_/);
    await page.click('#deny');
    await page.waitForSelector('#error');
    expect(await page.textContent('#error')).toContain('unable to authenticate');
    const id = await backToSiteHeld(page);
    expect(await stored(id)).toMatchObject({ status: 'pending', accessCode: null });
    expect(errors).toEqual([]);
  });
});
