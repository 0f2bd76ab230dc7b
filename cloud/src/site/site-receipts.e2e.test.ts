import { describe, expect, it } from 'vitest';
import { PaymentsRepository } from '../payments/payments.repository.js';
import { screenshot, venueClock } from '../testing/browser.js';
import { siteSuite } from '../testing/site-suite.js';

const ZONE = 'America/Toronto';
const { at, dayFromNow } = venueClock(ZONE);

describe('receipts on the customer site in Chromium', { timeout: 120_000 }, () => {
  const site = siteSuite({
    name: 'Receipt Range',
    timezone: ZONE,
    bays: 1,
    open: '08:00',
    close: '23:00',
    hourlyRateCents: 4000,
  });

  /** Paid at the desk (a payment row as the desk would record it): receipts cover every payment. */
  async function paidAtDesk(booking: { id: string; facility_id: string }, cents: number) {
    const db = site.server.t.app.db;
    const repo = new PaymentsRepository(db);
    const payment = await repo.insertPayment(db, {
      bookingId: booking.id,
      facilityId: booking.facility_id,
      kind: 'cash',
      provider: 'venue',
      attempt: 1,
      amountCents: cents,
      currency: 'usd',
    });
    await repo.updatePayment(db, payment.id, { status: 'succeeded', succeededAt: new Date() });
  }

  it("opens a booking's payment receipt from My bookings as a printable page", async () => {
    const reg = await site.api('POST', '/api/v1/auth/register', {
      email: 'receipt.rae@example.com',
      password: 'member-password-1',
      first_name: 'Rae',
    });
    expect(reg.status).toBe(201);
    const made = await site.api(
      'POST',
      '/api/v1/bookings',
      { simulator_id: site.venue.bayIds[0], start_time: at(dayFromNow(3), '10:00'), duration: 60 },
      reg.body.access_token,
    );
    expect(made.status).toBe(201);
    await paidAtDesk(made.body, 4000);

    const { page, context, errors } = await site.open('/account');
    await page.getByLabel('Email').fill('receipt.rae@example.com');
    await page.getByLabel('Password').fill('member-password-1');
    await page.getByRole('button', { name: 'Sign in' }).last().click();
    const item = page.locator(`[data-booking="${made.body.id}"]`);
    await item.waitFor();
    await item.getByRole('button', { name: 'Receipts' }).click();
    const list = item.getByTestId('receipts');
    await list.waitFor();
    expect(await list.textContent()).toContain('Paid in cash at the venue · $40.00 (succeeded)');
    const [receiptTab] = await Promise.all([
      context.waitForEvent('page'),
      list.getByRole('button', { name: 'Open receipt' }).click(),
    ]);
    await receiptTab.getByTestId('receipt-amount').waitFor();
    expect(await receiptTab.getByTestId('receipt-amount').textContent()).toBe('$40.00');
    expect(await receiptTab.locator('main').textContent()).toContain(made.body.reference_code);
    await screenshot(receiptTab, '30-site-receipt');
    expect(errors).toEqual([]);
  });

  it("opens a guest's receipt from the manage page with the manage link's token", async () => {
    const made = await site.api('POST', '/api/v1/bookings', {
      simulator_id: site.venue.bayIds[0],
      start_time: at(dayFromNow(5), '12:00'),
      duration: 60,
      customer: { email: 'guest.gus@example.com', first_name: 'Gus' },
    });
    expect(made.status).toBe(201);
    await paidAtDesk(made.body, 4000);

    const { page, context, errors } = await site.open('/');
    await page.getByRole('link', { name: 'Manage a booking' }).click();
    await page.getByLabel('Booking code').fill(made.body.reference_code);
    await page.getByLabel('Email you booked with').fill('guest.gus@example.com');
    await page.getByRole('button', { name: 'Find my booking' }).click();
    const card = page.locator(`[data-booking="${made.body.id}"]`);
    await card.waitFor();
    await card.getByRole('button', { name: 'Receipts' }).click();
    const list = card.getByTestId('receipts');
    await list.waitFor();
    expect(await list.textContent()).toContain('$40.00 (succeeded)');
    const [receiptTab] = await Promise.all([
      context.waitForEvent('page'),
      list.getByRole('button', { name: 'Open receipt' }).click(),
    ]);
    await receiptTab.getByTestId('receipt-amount').waitFor();
    expect(await receiptTab.locator('main').textContent()).toContain(made.body.reference_code);
    expect(errors).toEqual([]);
  });
});
