import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestBooking, slot } from '../testing/hubspot.js';
import { type NotificationsWorld, notificationsWorld } from '../testing/notifications.js';
import { testDatabases } from '../testing/test-app.js';

/** The unfolded value of an iCalendar property in a received .ics part. */
function icsField(ics: string, name: string): string | undefined {
  const unfolded = ics.replace(/\r?\n[ \t]/g, '');
  return new RegExp(`^${name}(?:;[^:]*)?:(.*)$`, 'm').exec(unfolded)?.[1]?.trim();
}

function calendarOf(message: { attachments: { contentType: string; content: Buffer }[] }): string {
  const part = message.attachments.find((a) => a.contentType.startsWith('text/calendar'));
  expect(part, 'the message carries a text/calendar part').toBeDefined();
  return part!.content.toString('utf8');
}

describe.each(testDatabases())('customer email on %s', (kind) => {
  let w: NotificationsWorld;
  beforeAll(async () => {
    w = await notificationsWorld(kind);
  }, 120_000);
  afterAll(async () => w?.close());

  it('book → reschedule → cancel: one message each, with the invite updated in place', async () => {
    const email = 'ada.invite@example.com';
    const booking = await guestBooking(w.t, w.facility.bayIds[0]!, slot(3, 18), { email, first_name: 'Ada' });

    const confirmation = await w.mail.waitForMessage({ to: email, subject: /Booking confirmed/ }, 15_000);
    expect(confirmation.text).toContain('Hi Ada,');
    expect(confirmation.text).toContain('100 Fairway Rd, Toronto ON');
    expect(confirmation.text).toContain('(America/Toronto)');
    expect(confirmation.text).toMatch(/Door PIN: \d{6}/);
    expect(confirmation.text).toContain('Price: $40.00');
    // 18:00 UTC in December is 13:00 in Toronto.
    expect(confirmation.text).toMatch(/When: \w{3} \d{4}-\d{2}-\d{2} 13:00 – 14:00/);
    const qr = confirmation.attachments.find((a) => a.contentType === 'image/png');
    expect(qr?.cid).toBeTruthy();
    expect(confirmation.html).toContain(`cid:${qr!.cid}`);
    const invite = calendarOf(confirmation);
    const uid = icsField(invite, 'UID');
    expect(uid).toBe(`booking-${booking.id}@clubos`);
    expect(icsField(invite, 'METHOD')).toBe('REQUEST');
    expect(icsField(invite, 'SEQUENCE')).toBe('0');
    expect(invite).toContain('TZID=America/Toronto');

    const moved = await w.t.request({
      method: 'POST',
      url: `/api/v1/bookings/${booking.id}/reschedule`,
      token: w.adminToken,
      payload: { start_time: slot(3, 20) },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const reschedule = await w.mail.waitForMessage({ to: email, subject: /Booking moved/ }, 15_000);
    expect(reschedule.text).toMatch(/When: \w{3} \d{4}-\d{2}-\d{2} 15:00 – 16:00/);
    const updated = calendarOf(reschedule);
    expect(icsField(updated, 'UID')).toBe(uid);
    expect(icsField(updated, 'SEQUENCE')).toBe('1');
    expect(icsField(updated, 'METHOD')).toBe('REQUEST');

    const cancelled = await w.t.request({
      method: 'POST',
      url: `/api/v1/bookings/${booking.id}/cancel`,
      token: w.adminToken,
      payload: { reason: 'rain' },
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    const refund = cancelled.json().refund_cents as number;
    const cancellation = await w.mail.waitForMessage({ to: email, subject: /Booking cancelled/ }, 15_000);
    expect(cancellation.text).toContain(`Refund: $${(refund / 100).toFixed(2)}`);
    const cancel = calendarOf(cancellation);
    expect(icsField(cancel, 'UID')).toBe(uid);
    expect(icsField(cancel, 'SEQUENCE')).toBe('2');
    expect(icsField(cancel, 'METHOD')).toBe('CANCEL');
    expect(icsField(cancel, 'STATUS')).toBe('CANCELLED');

    // Exactly one of each, with distinct Message-IDs.
    const all = w.mail.messages({ to: email });
    expect(all.map((m) => m.subject.split(':')[0]).sort()).toEqual([
      'Booking cancelled',
      'Booking confirmed',
      'Booking moved',
    ]);
    expect(new Set(all.map((m) => m.messageId)).size).toBe(3);
  }, 60_000);
});
