import { beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from '../testing/browser.js';
import { siteSuite } from '../testing/site-suite.js';

// The dashboard asks an admin with a one-time password to choose a new one before anything else.
describe('admin dashboard: choose a new password', { timeout: 120_000 }, () => {
  const site = siteSuite({ name: 'Fairway Social', bays: 1 });

  beforeAll(async () => {
    for (const email of ['onetime@example.com', 'stale@example.com']) {
      await site.server.t.app.services.auth.createUser({
        email,
        password: 'one-time-pass-1',
        role: 'admin',
        mustChangePassword: true,
      });
    }
  }, 240_000);

  it('after sign-in, asks for a new password, then opens the dashboard', async () => {
    const { page, errors } = await site.open('/admin/');
    await page.getByLabel('Email').fill('onetime@example.com');
    await page.getByLabel('Password').fill('one-time-pass-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();

    await page.getByLabel('Current password').fill('wrong-password-1');
    await page.getByLabel(/^New password/).fill('my-own-password-1');
    await page.getByLabel('Repeat new password').fill('my-own-password-1');
    await page.getByRole('button', { name: 'Save new password' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe('The current password is not correct.');
    await screenshot(page, '30-admin-choose-password');

    await page.getByLabel('Current password').fill('one-time-pass-1');
    await page.getByRole('button', { name: 'Save new password' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    expect(await page.getByText('Fairway Social').count()).toBeGreaterThan(0);

    const login = await site.server.t.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'onetime@example.com', password: 'my-own-password-1' },
    });
    expect(login.json().user.must_change_password).toBe(false);
    expect(errors).toEqual([]);
  });

  it('shows the screen when the API answers PASSWORD_CHANGE_REQUIRED to a stored session', async () => {
    const login = await site.server.t.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'stale@example.com', password: 'one-time-pass-1' },
    });
    // A session stored before the flag was known to the client: only the 403 tells it.
    const { must_change_password: _unknown, ...user } = login.json().user;
    const stored = { ...login.json(), user };
    const { page, context } = await site.open('/admin/');
    const value = JSON.stringify(JSON.stringify(stored));
    await page.evaluate(`localStorage.setItem('clubos.admin.session', ${value})`);
    await page.reload();
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await context.close();
  });
});
