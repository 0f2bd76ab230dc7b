import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { screenshot, venueClock } from '../testing/browser.js';
import { siteSuite } from '../testing/site-suite.js';

// A zone where it is not yet evening, so a booking later "today" can still be made online.
const ZONE =
  ['America/Toronto', 'Pacific/Honolulu', 'Asia/Tokyo', 'Pacific/Kiritimati'].find(
    (z) => DateTime.now().setZone(z).hour <= 19,
  ) ?? 'America/Toronto';
const { at, today } = venueClock(ZONE);

describe('admin dashboard in Chromium', { timeout: 120_000 }, () => {
  let page: Page;
  let errors: string[];

  const site = siteSuite({
    name: 'Fairway Social',
    timezone: ZONE,
    bays: 2,
    open: '08:00',
    close: '23:00',
    pricingRules: [
      {
        name: 'Evening peak',
        conditions: { start_time: '17:00', end_time: '23:00' },
        modifier_type: 'percentage',
        price_modifier: 25,
      },
    ],
  });

  beforeAll(async () => {
    // Today's figures: two bookings, one of them cancelled.
    for (const time of ['21:00', '22:00']) {
      const made = await site.api('POST', '/api/v1/bookings', {
        simulator_id: site.venue.bayIds[0],
        start_time: at(today(), time),
        duration: 60,
        customer: { email: `walkin${time.slice(0, 2)}@example.com`, first_name: 'Wes' },
      });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      if (time === '22:00')
        expect((await site.api('POST', `/api/v1/bookings/${made.body.id}/cancel`, {})).status).toBe(200);
    }
    ({ page, errors } = await site.open('/admin/'));
  }, 240_000);

  it('signs in and shows the seed dashboard figures with the heatmap and trend charts', async () => {
    await page.getByLabel('Email').fill(site.server.t.config.adminEmail);
    await page.getByLabel('Password').fill(site.server.t.config.adminPassword!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('fig-bookings').waitFor();

    const dashboard = (await site.api('GET', `/api/v1/admin/dashboard?facility_id=${site.venue.facilityId}`))
      .body;
    expect(dashboard.today.cancellations).toBe(1);
    expect(await page.getByTestId('fig-bookings').textContent()).toBe(String(dashboard.today.bookings));
    expect(await page.getByTestId('fig-cancellations').textContent()).toBe('1');
    expect(await page.getByTestId('fig-revenue').textContent()).toBe(
      `$${(dashboard.today.revenue_cents / 100).toFixed(2)}`,
    );
    // 7 weekdays × 24 hours, the booked hour drawn darker than an empty one.
    const heatmap = page.getByTestId('heatmap');
    expect(await heatmap.locator('rect').count()).toBe(168);
    expect(await heatmap.locator('rect[fill^="rgba(31, 95, 74"]').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('revenue-chart').locator('rect').count()).toBeGreaterThanOrEqual(14);
    await screenshot(page, '07-admin-overview');
    expect(errors).toEqual([]);
  });

  it('puts a bay in maintenance with a reason and an end, shows it, and brings it back', async () => {
    await page.getByRole('link', { name: 'Bays' }).click();
    const bay = page.locator(`[data-bay="${site.venue.bayIds[1]}"]`);
    await bay.getByRole('button', { name: 'Set maintenance…' }).click();
    const until = DateTime.now()
      .setZone(ZONE)
      .plus({ days: 2 })
      .set({ hour: 12, minute: 0, second: 0, millisecond: 0 });
    await bay.getByLabel('Reason').fill('Projector bulb replacement');
    await bay.getByLabel('Until (venue time)').fill(until.toFormat("yyyy-MM-dd'T'HH:mm"));
    await bay.getByRole('button', { name: 'Put in maintenance' }).click();
    await page.getByText('Bay 2 is in maintenance.').waitFor();
    await bay.locator('.badge.maintenance').waitFor();
    expect(await bay.textContent()).toContain('Projector bulb replacement until');
    await screenshot(page, '08-admin-bay-maintenance');

    const stored = (await site.api('GET', `/api/v1/admin/simulators/${site.venue.bayIds[1]}`)).body;
    expect(stored.status).toBe('maintenance');
    expect(stored.maintenance_reason).toBe('Projector bulb replacement');
    expect(Date.parse(stored.maintenance_until)).toBe(until.toMillis());
    // Customers no longer get that bay tomorrow.
    const tomorrow = DateTime.now().setZone(ZONE).plus({ days: 1 }).toISODate();
    const free = (
      await site.api(
        'GET',
        `/api/v1/availability?simulator_id=${site.venue.bayIds[1]}&date=${tomorrow}&duration=60`,
      )
    ).body;
    expect(free.simulators[0].slots).toHaveLength(0);

    await bay.getByRole('button', { name: 'Back to active' }).click();
    await page.getByText('Bay 2 is active again.').waitFor();
    expect((await site.api('GET', `/api/v1/admin/simulators/${site.venue.bayIds[1]}`)).body.status).toBe(
      'active',
    );
    expect(errors).toEqual([]);
  });

  it('previews edited hours and prices live in the browser before saving, then saves them', async () => {
    await page.getByRole('link', { name: 'Hours & pricing' }).click();
    const preview = page.getByTestId('rules-preview');
    const date = DateTime.now().setZone(ZONE).plus({ days: 1 });
    await page.getByLabel('Preview date').fill(date.toISODate()!);
    await preview.getByText('15 start times').waitFor();

    const weekday = date.weekday % 7; // luxon: Monday = 1 … Sunday = 7; rules: Sunday = 0
    const dayName = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][weekday]!;
    await page.getByLabel(`${dayName} opens`).fill('10:00');
    await preview.getByText('13 start times').waitFor();
    const rule = page.locator('[data-pricing-rule]').first();
    await rule.getByLabel('Change').fill('50');
    await preview.locator('li', { hasText: '9:00 PM' }).getByText('$60.00').waitFor();
    await screenshot(page, '09-admin-rules-preview');

    // Nothing is stored until Save.
    const before = (
      await site.api(
        'GET',
        `/api/v1/availability?simulator_id=${site.venue.bayIds[0]}&date=${date.toISODate()}&duration=60`,
      )
    ).body;
    expect(Date.parse(before.simulators[0].slots[0].start_time)).toBe(
      Date.parse(at(date.toISODate()!, '08:00')),
    );

    await page.getByRole('button', { name: 'Save rules' }).click();
    await page.getByText('Saved. Customers see the new hours and prices now.').waitFor();
    const after = (
      await site.api(
        'GET',
        `/api/v1/availability?simulator_id=${site.venue.bayIds[0]}&date=${date.toISODate()}&duration=60`,
      )
    ).body;
    const slots = after.simulators[0].slots as { start_time: string; price_cents: number }[];
    expect(Date.parse(slots[0]!.start_time)).toBe(Date.parse(at(date.toISODate()!, '10:00')));
    expect(
      slots.find((s) => Date.parse(s.start_time) === Date.parse(at(date.toISODate()!, '21:00')))?.price_cents,
    ).toBe(6000);
    expect(errors).toEqual([]);
  });
});
