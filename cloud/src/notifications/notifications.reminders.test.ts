import { TestClock } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestBooking } from '../testing/hubspot.js';
import { type NotificationsWorld, notificationsWorld } from '../testing/notifications.js';
import { testDatabases } from '../testing/test-app.js';

const MINUTE = 60_000;

/**
 * A week in Toronto around the spring-forward change (Sun 2027-03-14, 02:00 EST → 03:00 EDT), on a
 * pg-boss TestClock that drives the job queue, the database's job time and our own "now".
 * Bookings are whole UTC hours (whole local hours in both offsets).
 */
const WEEK = [
  { at: '2027-03-11T15:00:00Z', bay: 0 }, // Thu 10:00 EST
  { at: '2027-03-13T23:00:00Z', bay: 0 }, // Sat 18:00 EST: both reminders before the change
  { at: '2027-03-14T07:00:00Z', bay: 0 }, // Sun 03:00 EDT, the first hour after the gap
  { at: '2027-03-14T14:00:00Z', bay: 1 }, // Sun 10:00 EDT: its 24 h reminder is 09:00 EST
  { at: '2027-03-15T01:00:00Z', bay: 0 }, // Sun 21:00 EDT
  { at: '2027-03-16T16:00:00Z', bay: 1 }, // Tue 12:00 EDT
];
const MOVED = { from: '2027-03-12T15:00:00Z', to: '2027-03-17T15:00:00Z', bay: 1 };
const CANCELLED = { at: '2027-03-15T15:00:00Z', bay: 1 };

async function settle(ms = 30): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

describe.each(testDatabases())('reminders over a DST week on %s', (kind) => {
  let w: NotificationsWorld;
  const clock = new TestClock(Date.now());
  beforeAll(async () => {
    w = await notificationsWorld(kind, {
      facility: { maxAdvanceDays: 200, bays: 2 },
      notifications: { clock, pollIntervalMs: 1_000 },
    });
  }, 120_000);
  afterAll(async () => w?.close());

  /** Ticks the clock until the mail server holds `count` messages matching `subject`, or gives up. */
  async function tickUntil(subject: RegExp, count: number, maxTicks: number, step: number): Promise<void> {
    for (let i = 0; i < maxTicks && w.mail.messages({ subject }).length < count; i++) {
      await clock.tick(step);
      await settle();
    }
  }

  it('sends each reminder once, within 60 s of 24 h and 2 h before the start; none for a moved or cancelled time', async () => {
    const ids: { id: string; start: number; email: string }[] = [];
    for (const [i, b] of WEEK.entries()) {
      const email = `golfer${i}@example.com`;
      const { id } = await guestBooking(w.t, w.facility.bayIds[b.bay]!, b.at, { email });
      ids.push({ id, start: Date.parse(b.at), email });
    }
    const moved = await guestBooking(w.t, w.facility.bayIds[MOVED.bay]!, MOVED.from, {
      email: 'moved@example.com',
    });
    const cancelled = await guestBooking(w.t, w.facility.bayIds[CANCELLED.bay]!, CANCELLED.at, {
      email: 'cancelled@example.com',
    });
    await tickUntil(/Booking confirmed/, WEEK.length + 2, 200, 500);
    expect(w.mail.messages({ subject: /Booking confirmed/ })).toHaveLength(WEEK.length + 2);

    // The moved booking's reminder jobs for its first time exist already; the move must void them.
    const move = await w.t.request({
      method: 'POST',
      url: `/api/v1/bookings/${moved.id}/reschedule`,
      token: w.adminToken,
      payload: { start_time: MOVED.to },
    });
    expect(move.statusCode, move.body).toBe(200);
    const cancel = await w.t.request({
      method: 'POST',
      url: `/api/v1/bookings/${cancelled.id}/cancel`,
      token: w.adminToken,
      payload: {},
    });
    expect(cancel.statusCode, cancel.body).toBe(200);
    await tickUntil(/Booking (moved|cancelled)/, 2, 200, 500);
    ids.push({ id: moved.id, start: Date.parse(MOVED.to), email: 'moved@example.com' });

    const expected = ids
      .flatMap((b) => [24 * 60, 2 * 60].map((offset) => ({ ...b, offset, due: b.start - offset * MINUTE })))
      .sort((a, b) => a.due - b.due);
    const seen = new Map<string, number>();
    let sent = 0;
    for (const reminder of expected) {
      if (reminder.due - 30_000 > clock.now()) await clock.setTime(reminder.due - 30_000);
      sent += 1;
      // Up to 60 s past the due time, 5 s of clock at a time, reading what arrived after each step.
      for (let i = 0; i < 19 && w.mail.messages({ subject: /^Reminder/ }).length < sent; i++) {
        await clock.tick(5_000);
        await settle();
        if (w.mail.messages({ subject: /^Reminder/ }).length < sent) {
          await w.mail.waitForCount(w.mail.received(), 200).catch(() => {});
        }
      }
      const reminders = w.mail.messages({ subject: /^Reminder/ });
      expect(
        reminders.length,
        `reminder ${reminder.offset} min before ${new Date(reminder.start).toISOString()}`,
      ).toBe(sent);
      for (const m of reminders) if (!seen.has(m.id)) seen.set(m.id, clock.now());
      const latest = reminders.find((m) => seen.get(m.id) === clock.now())!;
      expect(latest.to.map((a) => a.address)).toContain(reminder.email);
      const lateness = clock.now() - reminder.due;
      expect(lateness).toBeGreaterThanOrEqual(0);
      expect(lateness).toBeLessThanOrEqual(60_000);
    }
    // A further day and a half: nothing else, and nothing for the old time or the cancelled booking.
    await clock.setTime(Date.parse('2027-03-18T12:00:00Z'));
    for (let i = 0; i < 10; i++) {
      await clock.tick(1_000);
      await settle();
    }
    const reminders = w.mail.messages({ subject: /^Reminder/ });
    expect(reminders).toHaveLength(expected.length);
    expect(w.mail.messages({ to: 'cancelled@example.com', subject: /^Reminder/ })).toHaveLength(0);
    expect(w.mail.messages({ to: 'moved@example.com', subject: /^Reminder/ })).toHaveLength(2);
    expect(reminders.every((m) => m.headers['list-unsubscribe'] !== undefined)).toBe(true);
    // Each booking got exactly its two reminders.
    for (const b of ids) expect(w.mail.messages({ to: b.email, subject: /^Reminder/ })).toHaveLength(2);
  }, 300_000);
});
