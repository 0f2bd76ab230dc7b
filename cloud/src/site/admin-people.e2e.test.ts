import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from '../testing/browser.js';
import { createFacility, type FacilityFixture, utcSlot } from '../testing/facility.js';
import { siteSuite } from '../testing/site-suite.js';

/** $40.00/h; Gold members 15 % off. */
const PUBLIC_CENTS = 4000;
const GOLD_CENTS = 3400;

// An owner's Customers and Staff tabs: a membership set in the browser changes what the customer
// pays, and a staff account deactivated in the browser can no longer sign in or call the API.
describe('admin Customers and Staff tabs in Chromium', { timeout: 120_000 }, () => {
  let harbour: FacilityFixture;
  let page: Page;
  let errors: string[];
  const ada = { email: 'ada.member@example.com', password: 'ada-password-1' };
  const staff = { email: 'new.hire@example.com', password: 'first-day-pass-1' };
  let adaId: string;
  let adaToken: string;

  const request = (method: 'GET' | 'POST', url: string, token?: string, payload?: object) =>
    site.server.t.request({ method, url, ...(token ? { token } : {}), ...(payload ? { payload } : {}) });
  const quoteCents = async () => {
    const res = await site.server.t.request({
      method: 'GET',
      url: '/api/v1/quote',
      token: adaToken,
      query: { simulator_id: site.venue.bayIds[0]!, start_time: utcSlot(2, 12), duration: '60' },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().total_cents as number;
  };

  const site = siteSuite({
    name: 'Fairway Members',
    bays: 1,
    hourlyRateCents: PUBLIC_CENTS,
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
    const registered = await request('POST', '/api/v1/auth/register', undefined, {
      ...ada,
      first_name: 'Ada',
      last_name: 'Lovelace',
    });
    expect(registered.statusCode, registered.body).toBe(201);
    adaId = registered.json().user.customer_id;
    adaToken = registered.json().access_token;
    harbour = await createFacility(site.server.t, { name: 'Harbour Range', bays: 1 });
    // Someone else, so the search has something to leave out.
    const other = await request('POST', '/api/v1/auth/register', undefined, {
      email: 'grace@example.com',
      password: 'grace-password-1',
      first_name: 'Grace',
    });
    expect(other.statusCode, other.body).toBe(201);

    ({ page, errors } = await site.open('/admin/'));
    await page.getByLabel('Email').fill(site.server.t.config.adminEmail);
    await page.getByLabel('Password').fill(site.server.t.config.adminPassword!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('fig-bookings').waitFor();
  }, 240_000);

  it('finds a customer by email, makes them Gold, and their quote shows the member price', async () => {
    expect(await quoteCents()).toBe(PUBLIC_CENTS);

    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByLabel('Search customers').fill('ADA.MEMBER');
    const row = page.locator(`tr[data-customer="${adaId}"]`);
    await row.waitFor();
    await page.getByText('1–1 of 1').waitFor();
    expect(await page.locator('tr[data-customer]').count()).toBe(1);
    expect(await row.textContent()).toContain(ada.email);

    await row.getByRole('button', { name: 'Ada Lovelace' }).click();
    const panel = page.getByRole('form', { name: 'Membership of Ada Lovelace' });
    expect(await panel.getByText('Tiers with member prices at Fairway Members: gold.').count()).toBe(1);
    await panel.getByRole('button', { name: 'gold', exact: true }).click();
    expect(await panel.getByLabel('Membership tier').inputValue()).toBe('gold');
    await screenshot(page, '15-admin-customers-membership');
    await panel.getByRole('button', { name: 'Save membership' }).click();
    await page.getByText('Saved: Ada Lovelace is a gold member.').waitFor();
    await row.locator('.badge.tier', { hasText: 'gold' }).waitFor();

    expect(await quoteCents()).toBe(GOLD_CENTS);
    const profile = await request('GET', `/api/v1/customers/${adaId}`, adaToken);
    expect(profile.json().profile.member_tier).toBe('gold');
    expect(errors).toEqual([]);
  });

  it('creates a staff account, then deactivates it: its sign-in and its requests fail', async () => {
    await page.getByRole('link', { name: 'Staff' }).click();
    const form = page.getByRole('form', { name: 'Add a staff account' });
    await form.getByLabel('Email').fill(staff.email);
    await form.getByLabel('Initial password').fill(staff.password);
    await form.getByLabel('Fairway Members').check();
    await form.getByRole('button', { name: 'Create account' }).click();
    await page.getByText(`Created staff account ${staff.email}.`).waitFor();
    const row = page.locator('tr[data-staff]', { hasText: staff.email });
    await row.waitFor();
    expect(await row.textContent()).toContain('Fairway Members');

    // The password the admin typed is one-time (the default): it works only to choose a new one.
    const first = await request('POST', '/api/v1/auth/login', undefined, staff);
    expect(first.statusCode, first.body).toBe(200);
    const blocked = await request('GET', '/api/v1/admin/facilities', first.json().access_token);
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    const chosen = await request('POST', '/api/v1/auth/password', first.json().access_token, {
      current_password: staff.password,
      new_password: 'my-own-pass-22',
    });
    expect(chosen.statusCode, chosen.body).toBe(200);
    staff.password = 'my-own-pass-22';
    const { access_token: token, refresh_token: refresh } = chosen.json();
    expect((await request('GET', '/api/v1/admin/facilities', token)).statusCode).toBe(200);

    await row.getByRole('button', { name: 'Deactivate…' }).click();
    const confirm = page.getByRole('group', { name: `Deactivate ${staff.email}` });
    await confirm.getByText('They are signed out at once').waitFor();
    await screenshot(page, '16-admin-staff-deactivate');
    await confirm.getByRole('button', { name: 'Yes, deactivate' }).click();
    await page.getByText(`${staff.email} is deactivated and signed out.`).waitFor();
    await row.locator('.badge', { hasText: 'deactivated' }).waitFor();

    expect((await request('POST', '/api/v1/auth/login', undefined, staff)).statusCode).toBe(401);
    expect((await request('GET', '/api/v1/admin/facilities', token)).statusCode).toBe(401);
    const refreshed = await request('POST', '/api/v1/auth/refresh', undefined, { refresh_token: refresh });
    expect(refreshed.statusCode).toBe(401);
    expect(errors).toEqual([]);
  });

  it('reactivates the account, changes its facilities, and shows the API refusing a taken email', async () => {
    const row = page.locator('tr[data-staff]', { hasText: staff.email });
    await row.getByRole('button', { name: 'Reactivate…' }).click();
    await page
      .getByRole('group', { name: `Reactivate ${staff.email}` })
      .getByRole('button', { name: 'Yes, reactivate' })
      .click();
    await page.getByText(`${staff.email} is active again and can sign in.`).waitFor();
    expect((await request('POST', '/api/v1/auth/login', undefined, staff)).statusCode).toBe(200);

    await row.getByRole('button', { name: 'Edit…' }).click();
    const edit = page.getByRole('form', { name: `Edit ${staff.email}` });
    await edit.getByLabel('Harbour Range').check();
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText(`Saved ${staff.email}: staff at Fairway Members, Harbour Range.`).waitFor();
    const admin = await request('POST', '/api/v1/auth/login', undefined, {
      email: site.server.t.config.adminEmail,
      password: site.server.t.config.adminPassword,
    });
    const listed = (await request('GET', '/api/v1/admin/staff', admin.json().access_token)).json();
    const member = listed.staff.find((m: { email: string }) => m.email === staff.email);
    expect([...member.facility_ids].sort()).toEqual([site.venue.facilityId, harbour.facilityId].sort());

    const form = page.getByRole('form', { name: 'Add a staff account' });
    await form.getByLabel('Email').fill(staff.email);
    await form.getByLabel('Initial password').fill('another-pass-1');
    await form.getByLabel('Harbour Range').check();
    await form.getByRole('button', { name: 'Create account' }).click();
    await form.getByRole('alert').getByText(`An account for ${staff.email} already exists`).waitFor();
    expect(errors).toEqual([]);
  });

  it('staff see their customers read-only and no Staff tab', async () => {
    const tracked = await site.open('/admin/');
    const p = tracked.page;
    await p.getByLabel('Email').fill(staff.email);
    await p.getByLabel('Password').fill(staff.password);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByRole('link', { name: 'Customers' }).click();
    expect(await p.getByRole('link', { name: 'Staff' }).count()).toBe(0);

    // Ada has not booked at their facilities yet: not their customer.
    await p.getByLabel('Search customers').fill('ada');
    await p.getByText('No customer matches “ada”.').waitFor();
    const booked = await request('POST', '/api/v1/bookings', adaToken, {
      simulator_id: harbour.bayIds[0],
      start_time: utcSlot(3, 12),
      duration: 60,
    });
    expect(booked.statusCode, booked.body).toBe(201);
    await p.getByLabel('Search customers').fill('lovelace');
    const row = p.locator(`tr[data-customer="${adaId}"]`);
    await row.getByRole('button', { name: 'Ada Lovelace' }).click();
    const panel = p.getByRole('form', { name: 'Membership of Ada Lovelace' });
    await panel.getByText('Only an admin can change a membership.').waitFor();
    expect(await panel.getByLabel('Membership tier').isDisabled()).toBe(true);
    expect(await panel.getByLabel('Membership tier').inputValue()).toBe('gold');
    expect(await p.locator('tr[data-customer]').count()).toBe(1);
    expect(tracked.errors).toEqual([]);
    await tracked.context.close();
  });
});
