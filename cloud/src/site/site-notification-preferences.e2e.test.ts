import { type MailServer, startMailServer } from '@clubos/simulators/mail/index';
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../config.js';
import {
  launchChromium,
  openPage,
  screenshot,
  startWebServer,
  type WebTestServer,
} from '../testing/browser.js';
import { createFacility, type FacilityFixture, loginAdmin } from '../testing/facility.js';
import { guestBooking, slot } from '../testing/hubspot.js';

const EMAIL = 'plover@example.com';
const PASSWORD = 'plover-password-1';

describe('notification preferences on the site in Chromium', { timeout: 120_000 }, () => {
  let mail: MailServer;
  let server: WebTestServer;
  let browser: Browser;
  let venue: FacilityFixture;
  let admin = '';
  let page: Page;
  let errors: string[];

  const status = async (bookingId: string, kind: string) => {
    const { rows } = (await server.t.app.db.execute(
      sql`SELECT status, last_error FROM notification_messages WHERE booking_id = ${bookingId}::uuid
        AND kind = ${kind} AND channel = 'email'`,
    )) as unknown as { rows: { status: string; last_error: string | null }[] };
    return rows[0] ?? null;
  };
  const cancel = async (bookingId: string) => {
    const res = await server.t.request({
      method: 'POST',
      url: `/api/v1/bookings/${bookingId}/cancel`,
      token: admin,
      payload: {},
    });
    expect(res.statusCode, res.body).toBe(200);
  };

  beforeAll(async () => {
    mail = await startMailServer({ httpPort: false });
    server = await startWebServer({
      notifications: { ...testConfig().notifications, smtpUrl: mail.smtpUrl },
    });
    browser = await launchChromium();
    venue = await createFacility(server.t, {
      name: 'Plover Range',
      timezone: 'America/Toronto',
      minAdvanceHours: 0,
    });
    admin = await loginAdmin(server.t);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await mail?.close();
  });

  it('a kind switched off on the account page is not sent by that channel; the PIN keeps a channel', async () => {
    ({ page, errors } = await openPage(browser, server.baseUrl, '/account'));
    await page.getByRole('tab', { name: 'Create account' }).click();
    await page.getByLabel('First name').fill('Plover');
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).last().click();
    const panel = page.getByTestId('notification-preferences');
    const cancellationEmail = panel.getByLabel('Cancellations and refunds: Email');
    await cancellationEmail.waitFor();
    expect(await cancellationEmail.isChecked()).toBe(true);
    await cancellationEmail.uncheck();
    await panel.getByRole('status').getByText('Saved: Cancellations and refunds.').waitFor();

    // The confirmation carries the door PIN: email off is fine, then SMS off too is refused.
    await panel.getByLabel('Booking confirmations (door PIN): Email').uncheck();
    await panel.getByRole('status').getByText('Saved: Booking confirmations (door PIN).').waitFor();
    // A refused change leaves the box as it was (playwright's uncheck() would insist on the change).
    await panel.getByLabel('Booking confirmations (door PIN): SMS').click();
    await panel
      .locator('[data-kind="confirmation"]')
      .getByRole('alert')
      .getByText(/door PIN/)
      .waitFor();
    expect(await panel.getByLabel('Booking confirmations (door PIN): SMS').isChecked()).toBe(true);
    await screenshot(page, '31-site-notification-preferences');

    const login = await server.t.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: EMAIL, password: PASSWORD },
    });
    const booked = await server.t.request({
      method: 'POST',
      url: '/api/v1/bookings',
      token: login.json().access_token,
      payload: { simulator_id: venue.bayIds[0], start_time: slot(3, 16), duration: 60 },
    });
    expect(booked.statusCode, booked.body).toBe(201);
    // No phone on the account: the confirmation still goes by email (the PIN must reach them).
    await mail.waitForMessage({ to: EMAIL, subject: /Booking confirmed/ }, 15_000);
    await cancel(booked.json().id);
    await expect
      .poll(() => status(booked.json().id, 'cancellation'), { timeout: 15_000 })
      .toEqual({
        status: 'skipped',
        last_error: 'the customer turned email off for cancellation',
      });
    expect(mail.messages({ to: EMAIL, subject: /cancelled/i })).toHaveLength(0);
    expect(errors).toEqual([]);
  });

  it("the email's unsubscribe link works without logging in, and leads to every choice", async () => {
    const guest = 'sandpiper@example.com';
    const booking = await guestBooking(server.t, venue.bayIds[1]!, slot(4, 16), { email: guest });
    await cancel(booking.id);
    const message = await mail.waitForMessage({ to: guest, subject: /cancelled/i }, 15_000);
    const link = /Unsubscribe from cancellations and refunds: (\S+)/.exec(message.text ?? '')?.[1];
    expect(link).toBeDefined();

    const fresh = await openPage(browser, server.baseUrl, new URL(link!).pathname + new URL(link!).search);
    await fresh.page.getByRole('button', { name: 'Unsubscribe from cancellations and refunds' }).click();
    await fresh.page.getByRole('heading', { name: 'Unsubscribed' }).waitFor();
    await fresh.page.getByRole('link', { name: 'Manage all your notifications' }).click();
    const panel = fresh.page.getByTestId('notification-preferences');
    await panel.getByText(`Messages to ${guest}.`).waitFor();
    expect(await panel.getByLabel('Cancellations and refunds: Email').isChecked()).toBe(false);
    expect(await panel.getByLabel('Cancellations and refunds: In-app').isChecked()).toBe(true);
    // A slow save: the box still shows the choice at once (it does not spring back until the answer).
    await fresh.page.route('**/api/v1/notifications/preferences?**', async (route) => {
      if (route.request().method() === 'PUT') await new Promise((resolve) => setTimeout(resolve, 1_000));
      await route.continue();
    });
    await panel.getByLabel('Reminders before your booking: SMS').uncheck();
    await panel.getByRole('status').getByText('Saved: Reminders before your booking.').waitFor();
    await screenshot(fresh.page, '32-site-preferences-from-email');
    expect(fresh.errors).toEqual([]);

    const again = await guestBooking(server.t, venue.bayIds[1]!, slot(5, 16), { email: guest });
    await cancel(again.id);
    await expect
      .poll(() => status(again.id, 'cancellation'), { timeout: 15_000 })
      .toMatchObject({
        status: 'skipped',
      });
    expect(mail.messages({ to: guest, subject: /cancelled/i })).toHaveLength(1);
    await fresh.context.close();
  });
});
