import { sql } from 'drizzle-orm';
import { TestClock } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestBooking, slot } from '../testing/hubspot.js';
import { type SmsWorld, smsWorld } from '../testing/sms-world.js';
import { testDatabases } from '../testing/test-app.js';

const MINUTE = 60_000;

/**
 * "10 minutes left — extend?": a pg-boss job at end − 10 min (on a TestClock), re-checked when it
 * runs, texted through the real twilio SDK to the Twilio simulator, and its one-tap link.
 */
describe.each(testDatabases())('the extend offer on %s', { timeout: 240_000 }, (kind) => {
  let w: SmsWorld;
  const clock = new TestClock(Date.now());
  beforeAll(async () => {
    w = await smsWorld(kind, {
      facility: { bays: 2, slotMinutes: 30 },
      notifications: { clock, pollIntervalMs: 1_000 },
    });
  }, 240_000);
  afterAll(async () => w?.close());

  const offers = (to: string) =>
    w.twilio.control
      .messages({ to, direction: 'outbound-api' })
      .map((m) => String(m.body))
      .filter((body) => body.includes('10 min left'));
  const offerRows = async (bookingId: string) =>
    (
      (await w.t.app.db.execute(
        sql`SELECT status FROM notification_messages WHERE booking_id = ${bookingId}::uuid AND kind = 'extend_offer'`,
      )) as unknown as { rows: { status: string }[] }
    ).rows;
  /** Moves the clock to `at`, then a few seconds at a time until `done` or 90 s past it. */
  async function runUntil(at: number, done: () => boolean): Promise<void> {
    if (clock.now() < at) await clock.setTime(at);
    for (let i = 0; i < 45 && !done(); i++) {
      await clock.tick(2_000);
      await new Promise((r) => setTimeout(r, 40));
    }
  }
  const book = (bay: number, start: string, phone: string) =>
    guestBooking(w.t, w.facility.bayIds[bay]!, start, {
      email: `x${phone.slice(-4)}@example.com`,
      phone,
    });

  it('texts the offer once when the next slot is free, none when it is booked, cancelled or moved; the link extends', async () => {
    const free = await book(0, slot(1, 15), '+14165550201');
    const followed = await book(1, slot(1, 15), '+14165550202');
    await book(1, slot(1, 16), '+14165550203'); // the next slot on bay 2 is taken
    const cancelled = await book(0, slot(1, 18), '+14165550204');
    const moved = await book(1, slot(1, 18), '+14165550205');
    const cancel = await w.t.request({
      method: 'POST',
      url: `/api/v1/bookings/${cancelled.id}/cancel`,
      token: w.adminToken,
      payload: {},
    });
    expect(cancel.statusCode, cancel.body).toBe(200);
    const move = await w.t.request({
      method: 'POST',
      url: `/api/v1/bookings/${moved.id}/reschedule`,
      token: w.adminToken,
      payload: { start_time: slot(1, 20) },
    });
    expect(move.statusCode, move.body).toBe(200);

    const end = Date.parse(slot(1, 16));
    await runUntil(end - 10 * MINUTE - 5_000, () => offers('+14165550201').length > 0);
    const [text] = offers('+14165550201');
    expect(text).toMatch(
      /: 10 min left on Bay 1\. The next slot is free, extend: http\S+\/notifications\/extend\?token=\S+$/,
    );
    // Past the due time of bay 2's offer too: its next slot is booked, so nothing was written.
    await runUntil(end - 9 * MINUTE, () => false);
    expect(offers('+14165550202')).toEqual([]);
    expect(await offerRows(followed.id)).toEqual([]);
    expect(await offerRows(free.id)).toEqual([{ status: 'sent' }]);

    // The cancelled booking's offer time passes with nothing; the moved one's old time too.
    const oldEnd = Date.parse(slot(1, 19));
    await runUntil(oldEnd - 9 * MINUTE, () => false);
    expect(offers('+14165550204')).toEqual([]);
    expect(offers('+14165550205')).toEqual([]);
    expect(await offerRows(cancelled.id)).toEqual([]);
    // At the moved booking's new end, its offer comes, once.
    await runUntil(Date.parse(slot(1, 21)) - 10 * MINUTE, () => offers('+14165550205').length > 0);
    await runUntil(clock.now() + 20_000, () => false);
    expect(offers('+14165550205')).toHaveLength(1);
    expect(offers('+14165550201')).toHaveLength(1);

    // The tap: GET only shows the button; POST extends by the next slot, at its price.
    const link = new URL(/extend: (\S+)$/.exec(text!)![1]!);
    const page = await w.t.app.inject({ method: 'GET', url: `${link.pathname}${link.search}` });
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).toContain('Extend my session');
    const before = await w.t.request({
      method: 'GET',
      url: `/api/v1/bookings/${free.id}`,
      token: w.adminToken,
    });
    const spent = async () =>
      Number(
        (
          (await w.t.app.db.execute(
            sql`SELECT total_spent_cents AS s FROM customers WHERE id = ${free.customer_id}::uuid`,
          )) as unknown as { rows: { s: number }[] }
        ).rows[0]!.s,
      );
    const spentBefore = await spent();
    const tap = await w.t.app.inject({ method: 'POST', url: `${link.pathname}${link.search}` });
    expect(tap.statusCode, tap.body).toBe(200);
    expect(tap.body).toContain('Extended');
    const after = await w.t.request({
      method: 'GET',
      url: `/api/v1/bookings/${free.id}`,
      token: w.adminToken,
    });
    expect(Date.parse(after.json().end_time)).toBe(end + 30 * MINUTE);
    expect(after.json().price_cents).toBe(before.json().price_cents + 2000);
    expect(await spent()).toBe(spentBefore + 2000);
    // The same link again: the booking ends at another time now.
    const again = await w.t.app.inject({ method: 'POST', url: `${link.pathname}${link.search}` });
    expect(again.statusCode).toBe(409);
    // A forged link is refused before anything is read.
    const forged = await w.t.app.inject({ method: 'POST', url: `${link.pathname}?token=abc.def` });
    expect(forged.statusCode).toBe(400);
  });
});
