import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { screenshot, venueClock } from '../testing/browser.js';
import { siteSuite } from '../testing/site-suite.js';

const ZONE = 'Europe/London';
const { at, dayFromNow } = venueClock(ZONE);

// The slot grid lists the visitor's prices: a signed-in Gold member sees the member price on every
// slot, an anonymous visitor the public one ($40.00/h, Gold members 15 % off).
describe('member prices in the slot grid in Chromium', { timeout: 120_000 }, () => {
  const member = { email: 'gold.member@example.com', password: 'gold-password-1' };

  const slotLabel = async (page: Page, date: string, time: string) => {
    await page.getByLabel('Date', { exact: true }).fill(date);
    const slot = page.locator(`[data-slot="${site.venue.bayIds[0]}|${at(date, time)}"]`);
    await slot.waitFor();
    return slot.getAttribute('aria-label');
  };

  const site = siteSuite({
    name: 'Members Range',
    timezone: ZONE,
    bays: 1,
    open: '09:00',
    close: '21:00',
    hourlyRateCents: 4000,
    pricingRules: [
      {
        name: 'Gold members',
        type: 'member',
        conditions: { member_tiers: ['gold'] },
        modifier_type: 'percentage',
        price_modifier: -15,
        priority: 20,
      },
    ],
  });

  beforeAll(async () => {
    const t = site.server.t;
    const registered = await t.request({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { ...member, first_name: 'Goldie' },
    });
    expect(registered.statusCode, registered.body).toBe(201);
    const admin = await t.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: t.config.adminEmail, password: t.config.adminPassword },
    });
    const tier = await t.request({
      method: 'PUT',
      url: `/api/v1/admin/customers/${registered.json().user.customer_id}/membership`,
      token: admin.json().access_token,
      payload: { member_tier: 'gold' },
    });
    expect(tier.statusCode, tier.body).toBe(200);
  }, 240_000);

  it('an anonymous visitor sees the public price', async () => {
    const { page, errors } = await site.open('/');
    expect(await slotLabel(page, dayFromNow(2), '10:00')).toBe('Bay 1, 10:00 AM to 11:00 AM, $40.00');
    expect(errors).toEqual([]);
  });

  it('a signed-in Gold member sees the member price, and the public one again after signing out', async () => {
    const { page, errors } = await site.open('/account');
    await page.getByLabel('Email').fill(member.email);
    await page.getByLabel('Password').fill(member.password);
    await page.getByRole('button', { name: 'Sign in' }).last().click();
    await page.getByRole('heading', { name: 'My bookings' }).waitFor();

    await page.getByRole('link', { name: 'Book', exact: true }).click();
    const date = dayFromNow(2);
    expect(await slotLabel(page, date, '10:00')).toBe('Bay 1, 10:00 AM to 11:00 AM, $34.00');
    await screenshot(page, '14-site-member-prices');
    // The checkout's quote agrees with the grid.
    await page.locator(`[data-slot="${site.venue.bayIds[0]}|${at(date, '10:00')}"]`).click();
    await page.getByTestId('quote-total').filter({ hasText: '$34.00' }).waitFor();

    await page.getByRole('link', { name: 'My bookings' }).click();
    await page.getByRole('button', { name: /^Sign out/ }).click();
    await page.getByRole('link', { name: 'Book', exact: true }).click();
    expect(await slotLabel(page, date, '11:00')).toBe('Bay 1, 11:00 AM to 12:00 PM, $40.00');
    expect(errors).toEqual([]);
  });
});
