import { describe, expect, it } from 'vitest';
import { screenshot, venueClock } from '../testing/browser.js';
import { siteSuite } from '../testing/site-suite.js';

const ZONE = 'Europe/Dublin';
const { at, dayFromNow } = venueClock(ZONE);

describe('guests manage bookings without an account, in Chromium', { timeout: 120_000 }, () => {
  const guestBooking = async (email: string, start: string, bay = 1) => {
    const res = await site.server.t.request({
      method: 'POST',
      url: '/api/v1/bookings',
      payload: { simulator_id: site.venue.bayIds[bay], start_time: start, duration: 60, customer: { email } },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; reference_code: string; access_code: string };
  };

  const site = siteSuite({
    name: 'Greenside Club',
    timezone: ZONE,
    bays: 2,
    open: '08:00',
    close: '22:00',
    hourlyRateCents: 4000,
    // Free cancellation until 72 h before: a booking two days out gets the late refund (50 %).
    settings: { cancellation_policy: { free_until_hours: 72, late_refund_percent: 50 } },
  });

  it('books as a guest, opens "Manage this booking", sees the refund, cancels, and the refund is stored', async () => {
    const { page, errors } = await site.open('/');
    const date = dayFromNow(2);
    await page.getByLabel('Date', { exact: true }).fill(date);
    await page.locator(`[data-slot="${site.venue.bayIds[0]}|${at(date, '10:00')}"]`).click();
    await page.getByLabel('Email').fill('walk.on@example.com');
    await page.getByLabel('First name').fill('Wally');
    await page.getByRole('button', { name: /^Book for/ }).click();
    await page.waitForURL(/\/confirmation\//);
    const id = page.url().split('/').pop()!;
    const pin = (await page.getByTestId('pin').textContent())?.trim();
    const code = (await page.getByTestId('reference-code').textContent())?.trim();

    await page.getByRole('link', { name: 'Manage this booking' }).click();
    await page.getByRole('heading', { name: 'Manage a booking' }).waitFor();
    expect(await page.getByLabel('Booking code').inputValue()).toBe(code);
    await page.getByLabel('Email you booked with').fill('Walk.On@example.com');
    await page.getByRole('button', { name: 'Find my booking' }).click();
    const card = page.locator(`[data-booking="${id}"]`);
    await card.waitFor();
    expect((await card.getByTestId('pin').textContent())?.trim()).toBe(pin);
    await card.locator('img.qr').waitFor();
    expect(await card.getByTestId('when').textContent()).toContain('10:00 AM');

    await card.getByRole('button', { name: 'Cancel…' }).click();
    const preview = card.getByTestId('refund-preview');
    expect(await preview.textContent()).toContain('Refund if you cancel now: $20.00 of $40.00 (50%)');
    await screenshot(page, '12-site-guest-manage-cancel');
    await card.getByRole('button', { name: 'Cancel and refund $20.00' }).click();
    await page.getByText(`Booking ${code} is cancelled. Refund: $20.00.`).waitFor();
    await card.getByText('refunded $20.00').waitFor();

    const stored = await site.api('GET', `/api/v1/bookings/${id}`);
    expect(stored.body).toMatchObject({ status: 'cancelled', refund_cents: 2000 });
    expect(errors).toEqual([]);
  });

  it('finds a booking from the header link, refuses a wrong email, and reschedules', async () => {
    const date = dayFromNow(4);
    const made = await guestBooking('mover@example.com', at(date, '11:00'));
    const { page, errors } = await site.open('/');
    await page.getByRole('link', { name: 'Manage a booking' }).click();
    await page.getByLabel('Booking code').fill(made.reference_code.toLowerCase());
    await page.getByLabel('Email you booked with').fill('not.me@example.com');
    await page.getByRole('button', { name: 'Find my booking' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'No booking matches this booking code and email' })
      .waitFor();

    await page.getByLabel('Email you booked with').fill('mover@example.com');
    await page.getByRole('button', { name: 'Find my booking' }).click();
    const card = page.locator(`[data-booking="${made.id}"]`);
    await card.getByRole('button', { name: 'Reschedule' }).click();
    await card.getByLabel('New date').fill(dayFromNow(5));
    await card.getByRole('button', { name: /^3:00 PM/ }).click();
    await page.getByText(/moved to/).waitFor();
    await card.getByTestId('when').filter({ hasText: '3:00 PM' }).waitFor();

    const stored = await site.api('GET', `/api/v1/bookings/${made.id}`);
    expect(stored.body.status).toBe('confirmed');
    expect(Date.parse(stored.body.start_time)).toBe(Date.parse(at(dayFromNow(5), '15:00')));
    expect(errors).toEqual([]);
  });

  it('an account made with a guest’s email shows nothing until the booking is added with code and PIN', async () => {
    const made = await guestBooking('returning@example.com', at(dayFromNow(3), '12:00'), 0);
    const { page, errors } = await site.open('/account');
    await page.getByRole('tab', { name: 'Create account' }).click();
    await page.getByLabel('Email').fill('returning@example.com');
    await page.getByLabel('Password').fill('returning-password-1');
    await page.getByRole('button', { name: 'Create account' }).last().click();
    await page.getByText('No upcoming bookings.').waitFor();

    const claim = page.getByRole('form', { name: 'Add a booking made as a guest' });
    await claim.getByLabel('Booking code').fill(made.reference_code);
    await claim.getByLabel('Door PIN').fill(made.access_code);
    await claim.getByRole('button', { name: 'Add booking' }).click();
    await page.getByText(`Added to your account: ${made.reference_code}.`).waitFor();
    await page.locator(`[data-booking="${made.id}"]`).waitFor();
    await screenshot(page, '13-site-claim-guest-booking');

    const me = await site.api(
      'GET',
      '/api/v1/auth/me',
      undefined,
      (
        await site.api('POST', '/api/v1/auth/login', {
          email: 'returning@example.com',
          password: 'returning-password-1',
        })
      ).body.access_token,
    );
    const stored = await site.api('GET', `/api/v1/bookings/${made.id}`);
    expect(stored.body.customer_id).toBe(me.body.customer_id);
    expect(errors).toEqual([]);
  });
});
