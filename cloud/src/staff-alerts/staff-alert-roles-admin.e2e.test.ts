import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openPage, screenshot } from '../testing/browser.js';
import { createFacility, type FacilityFixture, loginAdmin } from '../testing/facility.js';
import { createTestApp, type TestApp, testDatabases } from '../testing/test-app.js';

describe.each(testDatabases())(
  'staff alert roles on the admin Staff page in Chromium, on %s',
  { timeout: 120_000 },
  (kind) => {
    let t: TestApp;
    let browser: Browser;
    let page: Page;
    let errors: string[];
    let venue: FacilityFixture;
    let admin = '';

    const settings = async () => {
      const res = await t.request({
        method: 'GET',
        url: `/api/v1/admin/facilities/${venue.facilityId}`,
        token: admin,
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().settings as Record<string, unknown>;
    };

    beforeAll(async () => {
      t = await createTestApp(kind);
      const baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
      browser = await launchChromium();
      venue = await createFacility(t, { name: 'Alert Alley', bays: 1 });
      admin = await loginAdmin(t);
      // A setting chosen elsewhere, which saving the roles must keep.
      const before = await settings();
      const patched = await t.request({
        method: 'PATCH',
        url: `/api/v1/admin/facilities/${venue.facilityId}`,
        token: admin,
        payload: { settings: { ...before, reminder_minutes: [60] } },
      });
      expect(patched.statusCode, patched.body).toBe(200);
      ({ page, errors } = await openPage(browser, baseUrl, '/admin/staff'));
      await page.getByLabel('Email').fill(t.config.adminEmail);
      await page.getByLabel('Password').fill(t.config.adminPassword!);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const picker = page.getByLabel('Facility', { exact: true });
      await page.getByTestId('staff-alert-roles').waitFor();
      if (await picker.count()) await picker.selectOption(venue.facilityId);
      await page.getByText('Alert Alley · ').waitFor();
    }, 240_000);
    afterAll(async () => {
      await browser?.close();
      await t?.close();
    });

    it('emails forced doors to admins too and silences bay PCs; the choice is stored and shown again', async () => {
      const panel = page.getByTestId('staff-alert-roles');
      const form = panel.getByRole('form', { name: 'Staff alert emails' });
      await form.waitFor();
      // Nothing chosen yet: every kind goes to the venue's staff only.
      expect(await form.getByLabel('Door forced open: Staff of this venue').isChecked()).toBe(true);
      expect(await form.getByLabel('Door forced open: Admins').isChecked()).toBe(false);

      await form.getByLabel('Door forced open: Admins').check();
      await form.getByLabel('Bay PC offline: Staff of this venue').uncheck();
      await form.getByRole('button', { name: 'Save alert emails' }).click();
      await panel.getByRole('status').getByText('Saved. 1 alert kind(s) are not emailed.').waitFor();

      const stored = await settings();
      const roles = stored.staff_alert_roles as Record<string, string[]>;
      expect(roles.door_forced_open).toEqual(['staff', 'admin']);
      expect(roles.bay_pc_offline).toEqual([]);
      expect(roles.door_held_open).toEqual(['staff']);
      expect(stored.reminder_minutes).toEqual([60]);
      await screenshot(page, '33-admin-staff-alert-roles');

      await page.reload();
      const again = page.getByTestId('staff-alert-roles').getByRole('form', { name: 'Staff alert emails' });
      await again.waitFor();
      expect(await again.getByLabel('Door forced open: Admins').isChecked()).toBe(true);
      expect(await again.getByLabel('Bay PC offline: Staff of this venue').isChecked()).toBe(false);
      expect(errors).toEqual([]);
    });
  },
);
