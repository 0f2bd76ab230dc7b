import { DEFAULT_FROM, signTwilioRequest } from '@clubos/simulators/twilio/index';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { guestBooking, slot } from '../testing/hubspot.js';
import { type SmsWorld, smsWorld } from '../testing/sms-world.js';
import { testDatabases } from '../testing/test-app.js';

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, ms = 45_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Row {
  id: number;
  kind: string;
  channel: string;
  status: string;
  attempts: number;
  message_id: string | null;
  delivery_status: string | null;
  last_error: string | null;
}

describe.each(testDatabases())('customer SMS through Twilio on %s', { timeout: 240_000 }, (kind) => {
  let w: SmsWorld;
  beforeAll(async () => {
    w = await smsWorld(kind);
  }, 240_000);
  afterAll(async () => w?.close());
  beforeEach(() => {
    w.twilio.control.faults.reset();
  });

  const texts = (to: string) =>
    w.twilio.control.messages({ to, direction: 'outbound-api' }).map((m) => String(m.body));
  const rows = async (bookingId: string, channel = 'sms') =>
    (
      (await w.t.app.db.execute(
        sql`SELECT id, kind, channel, status, attempts, message_id, delivery_status, last_error
        FROM notification_messages WHERE booking_id = ${bookingId}::uuid AND channel = ${channel} ORDER BY id`,
      )) as unknown as { rows: Row[] }
    ).rows;

  /** A booking's first SMS row once it was skipped (and why). */
  const firstSkipped = (bookingId: string) =>
    until(async () => {
      const r = await rows(bookingId);
      return r[0]?.status === 'skipped' ? r[0] : undefined;
    });

  it('book → reschedule → cancel: one text each (PIN and door window first), delivery recorded from signed callbacks', async () => {
    const phone = '+14165550101';
    const booking = await guestBooking(w.t, w.facility.bayIds[0]!, slot(3, 18), {
      email: 'sms.ada@example.com',
      first_name: 'Ada',
      phone: '416-555-0101',
    });
    const [confirmation] = await until(() => (texts(phone).length >= 1 ? texts(phone) : undefined));
    // 18:00 UTC in December is 13:00 in Toronto; the doors open 15 minutes either side.
    expect(confirmation).toMatch(
      /booked \w{3} \d{4}-\d{2}-\d{2} 13:00\. Door PIN \d{6}, doors 12:45-14:15\./,
    );
    expect(confirmation).not.toMatch(/[–’]/); // GSM-7 only
    await w.mail.waitForMessage({ to: 'sms.ada@example.com', subject: /Booking confirmed/ }, 15_000);
    const [row] = await until(async () => {
      const r = await rows(booking.id);
      return r[0]?.delivery_status === 'delivered' ? r : undefined;
    });
    expect(row).toMatchObject({ kind: 'confirmation', status: 'sent', attempts: 1 });
    expect(row!.message_id).toMatch(/^SM[0-9a-f]{32}$/);

    const moved = await w.t.request({
      method: 'POST',
      url: `/api/v1/bookings/${booking.id}/reschedule`,
      token: w.adminToken,
      payload: { start_time: slot(3, 20) },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    await until(() => (texts(phone).length >= 2 ? true : undefined));
    expect(texts(phone)[1]).toMatch(/moved to \w{3} \d{4}-\d{2}-\d{2} 15:00/);
    const cancelled = await w.t.request({
      method: 'POST',
      url: `/api/v1/bookings/${booking.id}/cancel`,
      token: w.adminToken,
      payload: {},
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    await until(() => (texts(phone).length >= 3 ? true : undefined));
    expect(texts(phone)[2]).toMatch(/is cancelled\. Refund \$/);
    await w.twilio.control.settled();
    expect(texts(phone)).toHaveLength(3);
    expect((await rows(booking.id)).map((r) => r.kind)).toEqual([
      'confirmation',
      'reschedule',
      'cancellation',
    ]);
  });

  it('a forged status callback is refused (403) and changes nothing', async () => {
    const phone = '+14165550102';
    const booking = await guestBooking(w.t, w.facility.bayIds[1]!, slot(4, 18), {
      email: 'sms.forged@example.com',
      phone,
    });
    const [row] = await until(async () => {
      const r = await rows(booking.id);
      return r[0]?.delivery_status === 'delivered' ? r : undefined;
    });
    const url = `${w.publicUrl}/api/v1/webhooks/twilio/status`;
    const params = { MessageSid: row!.message_id!, MessageStatus: 'failed', ErrorCode: '30008' };
    for (const signature of [signTwilioRequest('not-the-token', url, params), undefined]) {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(signature ? { 'x-twilio-signature': signature } : {}),
        },
        body: new URLSearchParams(params).toString(),
      });
      expect(res.status).toBe(403);
    }
    expect((await rows(booking.id))[0]!.delivery_status).toBe('delivered');
    // The same request signed with the account's token is taken (a final state is kept, though).
    const genuine = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signTwilioRequest(w.twilio.authToken, url, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    expect(genuine.status).toBe(200);
    expect(await genuine.json()).toEqual({ updated: false });
  });

  it('STOP opts the number out (no SMS, email still sent); START opts it back in', async () => {
    const phone = '+14165550103';
    await w.twilio.control.inbound({ from: phone, to: DEFAULT_FROM, body: 'stop' });
    await w.twilio.control.settled();
    const first = await guestBooking(w.t, w.facility.bayIds[0]!, slot(5, 18), {
      email: 'sms.stop@example.com',
      phone,
    });
    await w.mail.waitForMessage({ to: 'sms.stop@example.com', subject: /Booking confirmed/ }, 15_000);
    expect((await firstSkipped(first.id)).last_error).toMatch(/opted out/);
    expect(texts(phone)).toEqual([]);

    await w.twilio.control.inbound({ from: phone, to: DEFAULT_FROM, body: 'START' });
    await w.twilio.control.settled();
    await guestBooking(w.t, w.facility.bayIds[0]!, slot(5, 20), { email: 'sms.stop@example.com', phone });
    await until(() => (texts(phone).length === 1 ? true : undefined));
  });

  it('a customer who turned SMS off gets email only', async () => {
    const phone = '+14165550108';
    await w.t.app.db.execute(sql`INSERT INTO customers (email, phone, preferences)
      VALUES ('sms.off@example.com', ${phone}, '{"notifications":{"sms":false}}'::jsonb)`);
    const booking = await guestBooking(w.t, w.facility.bayIds[1]!, slot(9, 18), {
      email: 'sms.off@example.com',
      phone,
    });
    await w.mail.waitForMessage({ to: 'sms.off@example.com', subject: /Booking confirmed/ }, 45_000);
    expect((await firstSkipped(booking.id)).last_error).toBe('the customer turned SMS off');
    expect(texts(phone)).toEqual([]);
  });

  it('channels chosen per kind: the confirmation by email only, the cancellation by SMS only', async () => {
    const phone = '+14165550109';
    const [customer] = (
      (await w.t.app.db.execute(sql`INSERT INTO customers (email, phone)
        VALUES ('sms.kinds@example.com', ${phone}) RETURNING id`)) as unknown as { rows: { id: string }[] }
    ).rows;
    await w.t.app.db.execute(sql`INSERT INTO notification_preferences (customer_id, kind, email, sms, in_app)
      VALUES (${customer!.id}::uuid, 'confirmation', true, false, true),
        (${customer!.id}::uuid, 'cancellation', false, true, true)`);
    const booking = await guestBooking(w.t, w.facility.bayIds[1]!, slot(10, 18), {
      email: 'sms.kinds@example.com',
      phone,
    });
    await w.mail.waitForMessage({ to: 'sms.kinds@example.com', subject: /Booking confirmed/ }, 45_000);
    expect((await firstSkipped(booking.id)).last_error).toBe('the customer turned SMS off for confirmation');

    const cancelled = await w.t.request({
      method: 'POST',
      url: `/api/v1/bookings/${booking.id}/cancel`,
      token: w.adminToken,
      payload: {},
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    await until(() => (texts(phone).length === 1 ? true : undefined));
    expect(texts(phone)[0]).toMatch(/is cancelled/);
    const [email] = await until(async () => {
      const r = (await rows(booking.id, 'email')).filter((m) => m.kind === 'cancellation');
      return r[0]?.status === 'skipped' ? r : undefined;
    });
    expect(email!.last_error).toBe('the customer turned email off for cancellation');
    expect(w.mail.messages({ to: 'sms.kinds@example.com', subject: /cancelled/i })).toHaveLength(0);
  });

  it('a create that times out at the SDK but reached Twilio is found, not sent again', async () => {
    const phone = '+14165550104';
    // The simulator answers after the SDK gave up (1.5 s): the text exists, our attempt failed.
    w.twilio.control.faults.slow(2_500);
    const booking = await guestBooking(w.t, w.facility.bayIds[1]!, slot(6, 18), {
      email: 'sms.slow@example.com',
      phone,
    });
    await until(() => (texts(phone).length >= 1 ? true : undefined));
    w.twilio.control.faults.slow(0);
    const [row] = await until(async () => {
      const r = await rows(booking.id);
      return r[0]?.status === 'sent' ? r : undefined;
    }, 90_000);
    await w.twilio.control.settled();
    expect(texts(phone)).toHaveLength(1);
    expect(row!.attempts).toBeGreaterThanOrEqual(2);
    expect(row!.message_id).toBe(w.twilio.control.messages({ to: phone })[0]!.sid);
  });

  it('a provider outage (503s) is retried with backoff and sent once', async () => {
    const phone = '+14165550105';
    w.twilio.control.faults.fail(503, { count: 2 });
    const booking = await guestBooking(w.t, w.facility.bayIds[0]!, slot(7, 18), {
      email: 'sms.outage@example.com',
      phone,
    });
    const [row] = await until(async () => {
      const r = await rows(booking.id);
      return r[0]?.status === 'sent' ? r : undefined;
    }, 90_000);
    await w.twilio.control.settled();
    expect(texts(phone)).toHaveLength(1);
    expect(row!.attempts).toBeGreaterThanOrEqual(2);
  });

  it('a landline ends undelivered and is listed in admin with the SMS channel', async () => {
    const phone = '+14165550106';
    w.twilio.control.setOutcome(phone, 'landline');
    const booking = await guestBooking(w.t, w.facility.bayIds[1]!, slot(8, 18), {
      email: 'sms.landline@example.com',
      phone,
    });
    const [row] = await until(async () => {
      const r = await rows(booking.id);
      return r[0]?.delivery_status === 'undelivered' ? r : undefined;
    });
    const status = await w.t.request({
      method: 'GET',
      url: '/api/v1/admin/notifications/status',
      token: w.adminToken,
    });
    expect(status.statusCode, status.body).toBe(200);
    const body = status.json();
    expect(body.sms_enabled).toBe(true);
    expect(body.by_channel.sms.sent).toBeGreaterThan(0);
    expect(body.failed.find((m: { id: number }) => m.id === Number(row!.id))).toMatchObject({
      channel: 'sms',
      recipient: phone,
      delivery_status: 'undelivered',
      delivery_error: 'error 30006',
    });
  });

  it('quiet hours: the confirmation goes at once, a reminder that would wait past the start is skipped', async () => {
    const phone = '+14165550107';
    const hhmm = (ms: number) =>
      new Intl.DateTimeFormat('en-GB', {
        timeZone: 'America/Toronto',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }).format(new Date(ms));
    const now = Date.now();
    const start = Math.ceil((now + 2 * 3_600_000) / 3_600_000) * 3_600_000; // the bays take whole hours
    // The reminder falls due within the next minute; the quiet hours cover now until after the start.
    const offset = Math.floor((start - now - 5_000) / 60_000);
    await w.t.app.db.execute(
      sql`UPDATE facilities SET settings = settings || ${JSON.stringify({
        reminder_minutes: [offset],
        sms_quiet_hours: { start: hhmm(now - 3_600_000), end: hhmm(start + 3_600_000) },
      })}::jsonb WHERE id = ${w.facility.facilityId}`,
    );
    const booking = await guestBooking(w.t, w.facility.bayIds[0]!, new Date(start).toISOString(), {
      email: 'sms.quiet@example.com',
      phone,
    });
    await until(() => (texts(phone).length === 1 ? true : undefined));
    expect(texts(phone)[0]).toMatch(/Door PIN \d{6}/);
    // The reminder job is due `offset` before the start; the test brings it forward to now rather
    // than waiting the 5–65 s (what runs is the job the dispatch scheduled, unchanged otherwise).
    const job = await until(async () => {
      const r = (await w.t.app.db.execute(
        sql`SELECT id, start_after FROM pgboss.job
        WHERE name = 'notify-reminder' AND data->>'bookingId' = ${booking.id}`,
      )) as unknown as { rows: { id: string; start_after: Date | string }[] };
      return r.rows.length === 1 ? r.rows[0] : undefined;
    });
    expect(new Date(job.start_after).getTime()).toBe(start - offset * 60_000);
    await w.t.app.db.execute(
      sql`UPDATE pgboss.job SET start_after = pgboss.job_now() WHERE id = ${job.id}::uuid`,
    );
    await w.mail.waitForMessage({ to: 'sms.quiet@example.com', subject: /Reminder/ }, 30_000);
    const reminder = await until(async () => {
      const r = (await rows(booking.id)).find((x) => x.kind === 'reminder');
      return r?.status === 'skipped' ? r : undefined;
    }, 90_000);
    expect(reminder.last_error).toMatch(/quiet hours last until after the booking starts/);
    expect(texts(phone)).toHaveLength(1);
  });
});
