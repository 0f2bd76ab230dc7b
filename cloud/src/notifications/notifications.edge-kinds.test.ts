import { randomUUID } from 'node:crypto';
import { generateBookingCode } from '@clubos/shared/credentials';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asEdge, registerEdge } from '../testing/edge-node.js';
import { utcSlot } from '../testing/facility.js';
import { type NotificationsWorld, notificationsWorld } from '../testing/notifications.js';
import { testDatabases } from '../testing/test-app.js';

const HOUR = 3_600_000;

/** Messages that start at the venue and reach the cloud through the edge's event upload. */
describe.each(testDatabases())('customer messages from edge events on %s', (kind) => {
  let w: NotificationsWorld;
  let edgeKey: string;

  beforeAll(async () => {
    w = await notificationsWorld(kind);
    edgeKey = (await registerEdge(w.t, w.adminToken, w.facility.facilityId)).key;
  }, 120_000);
  afterAll(async () => w?.close());

  const upload = async (events: object[]) => {
    const res = await asEdge(w.t, edgeKey, 'POST', '/api/v1/edge/events', {
      v: 1,
      facility_id: w.facility.facilityId,
      events,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().results as { status: string; reason?: string }[];
  };
  const checkIn = (bookingId: string) => ({
    v: 1,
    event_id: randomUUID(),
    type: 'booking.checked_in',
    occurred_at: new Date().toISOString(),
    facility_id: w.facility.facilityId,
    payload: { booking_id: bookingId, checked_in_at: new Date().toISOString(), method: 'qr_code' },
  });
  const messageRows = async (bookingId: string, what: string) =>
    (
      (await w.t.app.db.execute(
        sql`SELECT status, last_error FROM notification_messages WHERE booking_id = ${bookingId}::uuid AND kind = ${what}`,
      )) as unknown as { rows: { status: string; last_error: string | null }[] }
    ).rows;
  const customerBooking = async (email: string, start: string) => {
    const reg = await w.t.request({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email, password: 'welcome-pass-1', first_name: 'Wes' },
    });
    expect(reg.statusCode, reg.body).toBe(201);
    const token = reg.json().access_token as string;
    const booked = await w.t.request({
      method: 'POST',
      url: '/api/v1/bookings',
      token,
      payload: { simulator_id: w.facility.bayIds[0], start_time: start, duration: 60 },
    });
    expect(booked.statusCode, booked.body).toBe(201);
    return { token, id: booked.json().id as string };
  };

  it('welcomes the customer once on check-in, by email and in-app, however often the edge reports it', async () => {
    const email = 'wes.welcome@example.com';
    const { token, id } = await customerBooking(email, utcSlot(1, 15));
    const first = checkIn(id);
    expect((await upload([first]))[0]!.status).toBe('accepted');
    // The same event re-sent after a lost answer, and a second check-in path (the door after the kiosk).
    expect((await upload([first, checkIn(id)])).map((r) => r.status)).toEqual(['duplicate', 'accepted']);

    const welcome = await w.mail.waitForMessage({ to: email, subject: /Welcome to/ }, 15_000);
    expect(welcome.subject).toMatch(/^Welcome to .+: Bay 1 is yours$/);
    expect(welcome.text).toContain('Hi Wes,');
    await expect
      .poll(async () => (await messageRows(id, 'check_in_welcome')).map((r) => r.status))
      .toEqual(['sent']);
    expect(w.mail.messages({ to: email, subject: /Welcome to/ })).toHaveLength(1);

    const inApp = await w.t.request({ method: 'GET', url: '/api/v1/me/notifications', token });
    expect(inApp.json().notifications.map((n: { kind: string }) => n.kind)).toEqual([
      'check_in_welcome',
      'confirmation',
    ]);
  });

  it('sends the no-show notice once when the edge releases a booking nobody checked in for', async () => {
    const email = 'nora.noshow@example.com';
    const { token, id } = await customerBooking(email, utcSlot(3, 15));
    const noShow = {
      v: 1,
      event_id: randomUUID(),
      type: 'booking.no_show',
      occurred_at: new Date().toISOString(),
      facility_id: w.facility.facilityId,
      payload: { booking_id: id, marked_at: new Date().toISOString() },
    };
    expect((await upload([noShow]))[0]!.status).toBe('accepted');
    expect((await upload([noShow]))[0]!.status).toBe('duplicate');
    const notice = await w.mail.waitForMessage({ to: email, subject: /^Missed booking/ }, 15_000);
    expect(notice.subject).toMatch(/^Missed booking: Bay 1, /);
    expect(notice.text).toContain('We missed you');
    // No Stripe here, so no fee is owed and none is mentioned.
    expect(notice.text).not.toContain('No-show fee');
    await expect.poll(async () => (await messageRows(id, 'no_show')).map((r) => r.status)).toEqual(['sent']);
    expect(w.mail.messages({ to: email, subject: /^Missed booking/ })).toHaveLength(1);
    const inApp = await w.t.request({ method: 'GET', url: '/api/v1/me/notifications', token });
    expect(inApp.json().notifications[0]).toMatchObject({
      kind: 'no_show',
      title: 'You missed your booking',
    });
  });

  it('sends no welcome for a check-in that reaches the cloud after the session ended', async () => {
    const { id } = await customerBooking('late.upload@example.com', utcSlot(2, 15));
    // The edge was offline for the whole session: its check-in arrives afterwards.
    await w.t.app.db.execute(
      sql`UPDATE bookings SET start_time = now() - interval '3 hours', end_time = now() - interval '2 hours',
        blocked_until = now() - interval '2 hours' WHERE id = ${id}::uuid`,
    );
    expect((await upload([checkIn(id)]))[0]!.status).toBe('accepted');
    await expect
      .poll(async () => await messageRows(id, 'check_in_welcome'), { timeout: 15_000 })
      .toEqual([{ status: 'skipped', last_error: 'the session already ended' }]);
  });

  it('confirms a walk-in sold at the edge while offline once the sale reaches the cloud', async () => {
    const email = 'offline.walker@example.com';
    const start = Date.now() - 10 * 60_000;
    const bookingId = randomUUID();
    const reference = generateBookingCode();
    const sold = {
      v: 1,
      event_id: randomUUID(),
      type: 'walk_in.created',
      // Sold twenty minutes ago, uploaded now that the link is back.
      occurred_at: new Date(Date.now() - 20 * 60_000).toISOString(),
      facility_id: w.facility.facilityId,
      payload: {
        booking_id: bookingId,
        reference_code: reference,
        simulator_id: w.facility.bayIds[1],
        start_time: new Date(start).toISOString(),
        end_time: new Date(start + HOUR).toISOString(),
        duration: 60,
        price_cents: 3500,
        provisional: true,
        excluded_simulator_ids: [],
        customer: { email, first_name: 'Wanda' },
      },
    };
    const [result] = await upload([sold]);
    expect(result!.status, result!.reason).toBe('accepted');
    const confirmation = await w.mail.waitForMessage({ to: email, subject: /Booking confirmed/ }, 15_000);
    expect(confirmation.text).toContain('Hi Wanda,');
    expect(confirmation.text).toContain(`Reference: ${reference}`);
    expect(confirmation.text).toContain('Bay 2');
    // Re-sent by an edge that never saw the answer: still one message.
    expect((await upload([sold]))[0]!.status).toBe('duplicate');
    await expect
      .poll(async () => (await messageRows(bookingId, 'confirmation')).map((r) => r.status))
      .toEqual(['sent']);
    expect(w.mail.messages({ to: email })).toHaveLength(1);
  });
});
