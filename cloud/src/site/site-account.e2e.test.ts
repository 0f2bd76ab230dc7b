import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { screenshot, venueClock } from '../testing/browser.js';
import { siteSuite } from '../testing/site-suite.js';

const ZONE = 'Europe/London';
const { at, dayFromNow } = venueClock(ZONE);

describe('signed-in customer: waitlist offer and reschedule in Chromium', { timeout: 120_000 }, () => {
  let page: Page;
  let errors: string[];

  const site = siteSuite({
    name: 'Links Lounge',
    timezone: ZONE,
    bays: 2,
    open: '09:00',
    close: '21:00',
  });

  beforeAll(async () => {
    // The customer creates an account in the page itself.
    ({ page, errors } = await site.open('/account'));
    await page.getByRole('tab', { name: 'Create account' }).click();
    await page.getByLabel('First name').fill('Wren');
    await page.getByLabel('Email').fill('wren@example.com');
    await page.getByLabel('Password').fill('wren-password-1');
    await page.getByRole('button', { name: 'Create account' }).last().click();
    await page.getByRole('heading', { name: 'My bookings' }).waitFor();
  }, 240_000);

  it('joins the waitlist for a taken time, gets the offer when it is cancelled, and accepts it', async () => {
    const date = dayFromNow(3);
    const start = at(date, '14:00');
    const taken = await site.api('POST', '/api/v1/bookings', {
      simulator_id: site.venue.bayIds[0],
      start_time: start,
      duration: 60,
      customer: { email: 'early.bird@example.com', first_name: 'Early' },
    });
    expect(taken.status).toBe(201);

    await page.getByRole('link', { name: 'Book', exact: true }).click();
    await page.getByLabel('Date', { exact: true }).fill(date);
    await page.locator('.bay').first().waitFor();
    await page.getByLabel('Start time', { exact: true }).fill('14:00');
    await page.locator('select[name="bay"]').selectOption({ label: 'Bay 1' });
    await page.getByRole('button', { name: /^Join waitlist/ }).click();
    await page.getByText('You’re on the waitlist (#1)').waitFor();

    // The holder cancels: the time is offered to the first in line.
    expect((await site.api('POST', `/api/v1/bookings/${taken.body.id}/cancel`, {})).status).toBe(200);
    await page.getByRole('link', { name: 'My bookings' }).click();
    const offer = page.locator('[data-waitlist]').filter({ hasText: 'offered' });
    await offer.waitFor();
    await screenshot(page, '10-site-waitlist-offer');
    await offer.getByRole('button', { name: 'Accept offer' }).click();
    await page.waitForURL(/\/confirmation\//);
    expect((await page.getByTestId('pin').textContent())?.trim()).toMatch(/^\d{6}$/);

    const id = page.url().split('/').pop()!;
    const stored = await site.api('GET', `/api/v1/bookings/${id}`);
    expect(stored.body.status).toBe('confirmed');
    expect(stored.body.simulator_id).toBe(site.venue.bayIds[0]);
    expect(Date.parse(stored.body.start_time)).toBe(Date.parse(start));
    const entries = await site.api('GET', `/api/v1/waitlist?facility_id=${site.venue.facilityId}`);
    expect(entries.body.entries.map((e: { status: string }) => e.status)).toEqual(['accepted']);
    expect(errors).toEqual([]);
  });

  it('reschedules a booking to another free time of the same bay', async () => {
    await page.getByRole('link', { name: 'Book', exact: true }).click();
    const date = dayFromNow(5);
    await page.getByLabel('Date', { exact: true }).fill(date);
    await page
      .locator(`[data-slot="${site.venue.bayIds[1]}|${new Date(at(date, '10:00')).toISOString()}"]`)
      .click();
    await page.getByRole('button', { name: /^Book for/ }).click();
    await page.waitForURL(/\/confirmation\//);
    const id = page.url().split('/').pop()!;

    await page.getByRole('link', { name: 'My bookings' }).click();
    const item = page.locator(`[data-booking="${id}"]`);
    await item.getByRole('button', { name: 'Reschedule' }).click();
    await item.getByLabel('New date').fill(dayFromNow(6));
    await item.getByRole('button', { name: /^4:00 PM/ }).click();
    await page.getByText(/moved to/).waitFor();

    const stored = await site.api('GET', `/api/v1/bookings/${id}`);
    expect(stored.body.status).toBe('confirmed');
    expect(Date.parse(stored.body.start_time)).toBe(Date.parse(at(dayFromNow(6), '16:00')));
    expect(errors).toEqual([]);
  });
});
