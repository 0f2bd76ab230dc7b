import { startMailServer } from '@clubos/simulators/mail/index';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestBooking, slot } from '../testing/hubspot.js';
import { type NotificationsWorld, notificationsWorld } from '../testing/notifications.js';
import { testDatabases } from '../testing/test-app.js';

describe.each(testDatabases())('failing mail on %s', (kind) => {
  let w: NotificationsWorld;
  beforeAll(async () => {
    w = await notificationsWorld(kind, { notifications: { retryLimit: 6, retryDelaySeconds: 1 } });
  }, 120_000);
  afterAll(async () => w?.close());

  async function rowOf(email: string) {
    const { rows } = (await w.t.app.db.execute(
      sql`SELECT id, status, attempts FROM notification_messages WHERE recipient = ${email}`,
    )) as unknown as { rows: { id: number; status: string; attempts: number }[] };
    return rows[0];
  }

  /** The message's row once it reached `wanted` (the SMTP answer comes before our record). */
  async function settled(email: string, wanted: string) {
    for (let i = 0; i < 100; i++) {
      const row = await rowOf(email);
      if (row?.status === wanted) return row;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return rowOf(email);
  }

  async function status() {
    const res = await w.t.request({
      method: 'GET',
      url: '/api/v1/admin/notifications/status',
      token: w.adminToken,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as {
      enabled: boolean;
      counts: Record<string, number>;
      failed: { id: number; recipient: string; status: string; last_error: string; attempts: number }[];
    };
  }

  it('a server saying "try again later" delays the message; it arrives once, after the retries', async () => {
    w.mail.faults.refuseNext(451, 2);
    const email = 'busy.server@example.com';
    await guestBooking(w.t, w.facility.bayIds[0]!, slot(2, 15), { email });
    const message = await w.mail.waitForMessage({ to: email }, 30_000);
    expect(message.subject).toMatch(/Booking confirmed/);
    const row = await settled(email, 'sent');
    expect(row).toMatchObject({ status: 'sent', attempts: 3 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(w.mail.messages({ to: email })).toHaveLength(1);
  }, 60_000);

  it('a refused address is shown failed in admin; the retry button sends it once the address works', async () => {
    const email = 'bounces@example.com';
    w.mail.faults.refuseRecipient(email, 550);
    const booking = await guestBooking(w.t, w.facility.bayIds[1]!, slot(2, 16), { email });
    let failed: Awaited<ReturnType<typeof status>>['failed'][number] | undefined;
    for (let i = 0; i < 100 && !failed; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      failed = (await status()).failed.find((f) => f.recipient === email);
    }
    expect(failed?.status).toBe('failed');
    expect(failed?.last_error).toMatch(/^550 /);
    expect(failed?.attempts).toBe(1); // a 5xx is not retried by itself
    expect(booking.id).toBeTruthy();

    w.mail.faults.reset();
    const retried = await w.t.request({
      method: 'POST',
      url: `/api/v1/admin/notifications/messages/${failed!.id}/retry`,
      token: w.adminToken,
    });
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json().message.status).toBe('pending');
    const message = await w.mail.waitForMessage({ to: email }, 15_000);
    expect(message.subject).toMatch(/Booking confirmed/);
    expect((await settled(email, 'sent'))?.status).toBe('sent');
    expect((await status()).failed.find((f) => f.id === failed!.id)).toBeUndefined();

    const again = await w.t.request({
      method: 'POST',
      url: `/api/v1/admin/notifications/messages/${failed!.id}/retry`,
      token: w.adminToken,
    });
    expect(again.statusCode).toBe(409);
    const missing = await w.t.request({
      method: 'POST',
      url: '/api/v1/admin/notifications/messages/999999/retry',
      token: w.adminToken,
    });
    expect(missing.statusCode).toBe(404);
    const anonymous = await w.t.request({ method: 'GET', url: '/api/v1/admin/notifications/status' });
    expect(anonymous.statusCode).toBe(401);
  }, 60_000);

  it('SMTP down: the booking is answered at once, the message waits and goes out when the server is back', async () => {
    const port = w.mail.port;
    await w.mail.close();
    const email = 'outage@example.com';
    const booking = await guestBooking(w.t, w.facility.bayIds[0]!, slot(2, 18), { email });
    expect(booking.ms).toBeLessThan(5_000);
    let lastError: string | null = null;
    for (let i = 0; i < 100 && !lastError; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const [row] = (
        (await w.t.app.db.execute(
          sql`SELECT last_error FROM notification_messages WHERE booking_id = ${booking.id}`,
        )) as unknown as { rows: { last_error: string | null }[] }
      ).rows;
      lastError = row?.last_error ?? null;
    }
    expect(lastError).toMatch(/ECONNREFUSED|connect/i);
    w.mail = await startMailServer({ port, httpPort: false });
    const message = await w.mail.waitForMessage({ to: email }, 40_000);
    expect(message.subject).toMatch(/Booking confirmed/);
  }, 90_000);

  it('a facility reminder setting is validated: a bad one is a 400 naming the field', async () => {
    const res = await w.t.request({
      method: 'PATCH',
      url: `/api/v1/admin/facilities/${w.facility.facilityId}`,
      token: w.adminToken,
      payload: { settings: { tax_rate_bps: 0, reminder_minutes: [1440, -5] } },
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.body).toContain('settings.reminder_minutes');
  });
});
