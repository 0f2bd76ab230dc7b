import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { screenshot, venueClock } from '../testing/browser.js';
import { siteSuite } from '../testing/site-suite.js';

const ZONE = 'Europe/London';
const { at, dayFromNow } = venueClock(ZONE);
const EMAIL = 'kestrel@example.com';
const PASSWORD = 'kestrel-password-1';

describe('in-app notifications on the site in Chromium', { timeout: 120_000 }, () => {
  let page: Page;
  let errors: string[];
  /** The same customer signed in elsewhere (another device): their bookings are made there. */
  let elsewhere = '';

  const site = siteSuite({ name: 'Fairway Loft', timezone: ZONE, bays: 2, open: '09:00', close: '21:00' });

  beforeAll(async () => {
    ({ page, errors } = await site.open('/account'));
    await page.getByRole('tab', { name: 'Create account' }).click();
    await page.getByLabel('First name').fill('Kestrel');
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).last().click();
    await page.getByRole('heading', { name: 'My bookings' }).waitFor();
    const login = await site.api('POST', '/api/v1/auth/login', { email: EMAIL, password: PASSWORD }, '');
    expect(login.status).toBe(200);
    elsewhere = login.body.access_token;
  }, 240_000);

  it('shows a booking confirmed and then cancelled in another session without a reload', async () => {
    const panel = page.locator('section[aria-labelledby="notifications-heading"]');
    await panel.getByText('No notifications yet.').waitFor();
    // Connected before the other session books, so the change can only arrive over the stream.
    await page.locator('section[aria-labelledby="notifications-heading"][data-live="true"]').waitFor();

    const booked = await site.api(
      'POST',
      '/api/v1/bookings',
      { simulator_id: site.venue.bayIds[1], start_time: at(dayFromNow(4), '15:00'), duration: 60 },
      elsewhere,
    );
    expect(booked.status).toBe(201);
    const confirmed = panel.locator('[data-notification="confirmation"]');
    await confirmed.waitFor();
    await expect
      .poll(() => confirmed.textContent())
      .toMatch(/Booking confirmed.*Bay 2 at Fairway Loft.*15:00/);
    await expect.poll(() => panel.getByTestId('unread-count').textContent()).toBe('1 unread');

    const cancelled = await site.api('POST', `/api/v1/bookings/${booked.body.id}/cancel`, {}, elsewhere);
    expect(cancelled.status).toBe(200);
    await panel.locator('[data-notification="cancellation"]').waitFor();
    await expect.poll(() => panel.getByTestId('unread-count').textContent()).toBe('2 unread');
    await screenshot(page, '30-site-notifications-live');

    // Newest first; reading one leaves the other unread.
    const kinds = await panel
      .locator('[data-notification]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-notification')));
    expect(kinds).toEqual(['cancellation', 'confirmation']);
    await panel
      .locator('[data-notification="cancellation"]')
      .getByRole('button', { name: 'Mark read' })
      .click();
    await panel.locator('[data-notification="cancellation"][data-read="true"]').waitFor();
    await expect.poll(() => panel.getByTestId('unread-count').textContent()).toBe('1 unread');
    const listed = await site.api('GET', '/api/v1/me/notifications', undefined, elsewhere);
    expect(listed.body.unread).toBe(1);
    expect(errors).toEqual([]);
  });
});
