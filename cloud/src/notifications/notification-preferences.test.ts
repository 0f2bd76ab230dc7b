import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestBooking, slot } from '../testing/hubspot.js';
import { type NotificationsWorld, notificationsWorld } from '../testing/notifications.js';
import { testDatabases } from '../testing/test-app.js';
import { LinkTokens } from './link-tokens.js';

const OFF = { email: false, sms: false, in_app: false };

describe.each(testDatabases())('notification preferences per kind on %s', (kind) => {
  let w: NotificationsWorld;
  let robin = '';
  const url = '/api/v1/me/notification-preferences';

  /** The email row of a booking's message of `kind` once it ended (sent or skipped). */
  const ended = async (bookingId: string, messageKind: string) => {
    let row: { status: string; last_error: string | null } | undefined;
    await expect
      .poll(
        async () => {
          const { rows } = (await w.t.app.db.execute(
            sql`SELECT status, last_error FROM notification_messages WHERE booking_id = ${bookingId}::uuid
              AND kind = ${messageKind} AND channel = 'email'`,
          )) as unknown as { rows: { status: string; last_error: string | null }[] };
          row = rows[0];
          return row?.status;
        },
        { timeout: 15_000 },
      )
      .toMatch(/^(sent|skipped)$/);
    return row!;
  };
  const cancel = async (bookingId: string) => {
    const res = await w.t.request({
      method: 'POST',
      url: `/api/v1/bookings/${bookingId}/cancel`,
      token: w.adminToken,
      payload: {},
    });
    expect(res.statusCode, res.body).toBe(200);
  };

  beforeAll(async () => {
    w = await notificationsWorld(kind);
    const res = await w.t.request({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: 'robin.prefs@example.com', password: 'prefs-pass-1', first_name: 'Robin' },
    });
    expect(res.statusCode, res.body).toBe(201);
    robin = res.json().access_token;
  }, 120_000);
  afterAll(async () => w?.close());

  it("the profile's overall switches cannot take the last channel from a kind that carries the PIN", async () => {
    const res = await w.t.request({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: 'sms.only@example.com', password: 'prefs-pass-1', first_name: 'Sam' },
    });
    const token = res.json().access_token as string;
    const customerId = res.json().user.customer_id as string;
    const smsOnly = await w.t.request({
      method: 'PUT',
      url,
      token,
      payload: { kinds: { confirmation: { email: false, sms: true, in_app: true } } },
    });
    expect(smsOnly.statusCode, smsOnly.body).toBe(200);
    const patch = (notifications: Record<string, boolean>) =>
      w.t.request({
        method: 'PATCH',
        url: `/api/v1/customers/${customerId}/preferences`,
        token,
        payload: { notifications },
      });
    const refused = await patch({ sms: false });
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json().error).toMatchObject({ field: 'notifications' });
    expect(refused.json().error.message).toMatch(/confirmation carries your door PIN/);
    // Switching email off instead leaves the confirmation its SMS: allowed.
    expect((await patch({ email: false })).statusCode).toBe(200);
  });

  it('lists every kind on by default, and refuses a choice that leaves the door PIN no way out', async () => {
    const none = await w.t.request({ method: 'GET', url });
    expect(none.statusCode).toBe(401);
    const view = await w.t.request({ method: 'GET', url, token: robin });
    expect(view.statusCode, view.body).toBe(200);
    expect(view.json().email).toBe('robin.prefs@example.com');
    const kinds = view.json().kinds as { kind: string; entry: boolean; email: boolean }[];
    expect(kinds.map((k) => [k.kind, k.entry, k.email])).toEqual([
      ['confirmation', true, true],
      ['reschedule', true, true],
      ['cancellation', false, true],
      ['reminder', false, true],
      ['waitlist_offer', false, true],
      ['check_in_welcome', false, true],
      ['extend_offer', false, true],
      ['no_show', false, true],
      ['payment_receipt', false, true],
      ['refund_receipt', false, true],
    ]);

    const refused = await w.t.request({
      method: 'PUT',
      url,
      token: robin,
      payload: { kinds: { confirmation: { email: false, sms: false, in_app: true } } },
    });
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json().error.field).toBe('kinds.confirmation');
    expect(refused.json().error.message).toMatch(/door PIN/);
    const unknown = await w.t.request({
      method: 'PUT',
      url,
      token: robin,
      payload: { kinds: { marketing: OFF } },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('marketing');
    const half = await w.t.request({
      method: 'PUT',
      url,
      token: robin,
      payload: { kinds: { reminder: { email: false } } },
    });
    expect(half.statusCode).toBe(400);
    expect(half.body).toContain('reminder');
  });

  it('a kind turned off by email and in-app is skipped with its reason; the confirmation still arrives', async () => {
    const saved = await w.t.request({
      method: 'PUT',
      url,
      token: robin,
      payload: { kinds: { cancellation: { email: false, sms: true, in_app: false } } },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().kinds.find((k: { kind: string }) => k.kind === 'cancellation')).toMatchObject({
      email: false,
      sms: true,
      in_app: false,
    });
    const booked = await w.t.request({
      method: 'POST',
      url: '/api/v1/bookings',
      token: robin,
      payload: { simulator_id: w.facility.bayIds[0], start_time: slot(3, 15), duration: 60 },
    });
    expect(booked.statusCode, booked.body).toBe(201);
    const confirmation = await w.mail.waitForMessage(
      { to: 'robin.prefs@example.com', subject: /Booking confirmed/ },
      15_000,
    );
    // The PIN's message cannot be unsubscribed from, but links to every choice.
    expect(confirmation.headers['list-unsubscribe']).toBeUndefined();
    expect(confirmation.text).toMatch(/Manage your notifications: http\S+\/preferences\?token=/);

    await cancel(booked.json().id);
    expect(await ended(booked.json().id, 'cancellation')).toEqual({
      status: 'skipped',
      last_error: 'the customer turned email off for cancellation',
    });
    expect(w.mail.messages({ to: 'robin.prefs@example.com', subject: /cancelled/i })).toHaveLength(0);
    const inApp = await w.t.request({ method: 'GET', url: '/api/v1/me/notifications', token: robin });
    expect(inApp.json().notifications.map((n: { kind: string }) => n.kind)).toEqual(['confirmation']);
  }, 60_000);

  it("the email's link stops that kind without logging in (page, then one click); the next one is skipped", async () => {
    const email = 'guest.prefs@example.com';
    const first = await guestBooking(w.t, w.facility.bayIds[1]!, slot(4, 15), { email });
    await cancel(first.id);
    const message = await w.mail.waitForMessage({ to: email, subject: /cancelled/i }, 15_000);
    const link = /<(http[^>]+)>/.exec(String(message.headers['list-unsubscribe']))?.[1];
    expect(link).toMatch(/\/api\/v1\/notifications\/unsubscribe\?token=.+&kind=cancellation$/);
    expect(message.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    const path = link!.replace(/^https?:\/\/[^/]+/, '');

    const page = await w.t.request({ method: 'GET', url: path });
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).toContain('Unsubscribe from cancellations and refunds');
    expect(page.body).toContain('Manage all your notifications');
    // Opening the page (a mail scanner does) changes nothing.
    const token = new URL(link!).searchParams.get('token')!;
    const before = await w.t.request({
      method: 'GET',
      url: `/api/v1/notifications/preferences?token=${token}`,
    });
    expect(before.json().kinds[2]).toMatchObject({ kind: 'cancellation', email: true, sms: true });

    const oneClick = await w.t.request({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.statusCode, oneClick.body).toBe(200);
    const after = await w.t.request({
      method: 'GET',
      url: `/api/v1/notifications/preferences?token=${token}`,
    });
    expect(after.json().email).toBe(email);
    expect(after.json().kinds[2]).toMatchObject({
      kind: 'cancellation',
      email: false,
      sms: false,
      in_app: true,
    });

    const second = await guestBooking(w.t, w.facility.bayIds[1]!, slot(5, 15), { email });
    await cancel(second.id);
    expect((await ended(second.id, 'cancellation')).last_error).toBe(
      'the customer turned email off for cancellation',
    );
  }, 60_000);

  it('refuses a forged token and the PIN kinds; an older reminder link still works', async () => {
    const tokens = new LinkTokens(w.t.config.jwtSecret);
    const real = tokens.sign('preferences', '00000000-0000-4000-8000-000000000000');
    const forged = `${real.split('.')[0]}.${tokens.sign('preferences', 'x').split('.')[1]}`;
    const refused = await w.t.request({
      method: 'GET',
      url: `/api/v1/notifications/preferences?token=${forged}`,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.field).toBe('token');

    const old = tokens.sign('unsubscribe', 'Guest.Prefs@example.com');
    const pin = await w.t.request({
      method: 'POST',
      url: `/api/v1/notifications/unsubscribe?token=${old}&kind=confirmation`,
    });
    expect(pin.statusCode).toBe(400);
    expect(pin.json().error.field).toBe('kind');
    const reminder = await w.t.request({
      method: 'POST',
      url: `/api/v1/notifications/unsubscribe?token=${old}`,
    });
    expect(reminder.statusCode, reminder.body).toBe(200);
    expect(reminder.json()).toEqual({ unsubscribed: true, kind: 'reminder' });
    const view = await w.t.request({ method: 'GET', url: `/api/v1/notifications/preferences?token=${old}` });
    expect(view.json().kinds[3]).toMatchObject({ kind: 'reminder', email: false, sms: false });
  });

  it('an address unsubscribed from reminders before this table keeps its reminders off (the migration)', async () => {
    const migration = readFileSync(
      new URL('../../drizzle/0019_notification-preferences.sql', import.meta.url),
      'utf8',
    );
    const carry = migration.split('--> statement-breakpoint').at(-1)!;
    expect(carry).toContain('notification_unsubscribes');
    const booking = await guestBooking(w.t, w.facility.bayIds[0]!, slot(6, 15), {
      email: 'legacy@example.com',
    });
    await w.t.app.db.execute(
      sql`INSERT INTO notification_unsubscribes (email) VALUES ('legacy@example.com')`,
    );
    // Run again, as at deploy: the same rows are carried once.
    await w.t.app.db.execute(sql.raw(carry));
    await w.t.app.db.execute(sql.raw(carry));
    const tokens = new LinkTokens(w.t.config.jwtSecret);
    const view = await w.t.request({
      method: 'GET',
      url: `/api/v1/notifications/preferences?token=${tokens.sign('preferences', booking.customer_id)}`,
    });
    expect(view.statusCode, view.body).toBe(200);
    expect(view.json().kinds[3]).toMatchObject({ kind: 'reminder', email: false, sms: true, in_app: true });
  });
});
