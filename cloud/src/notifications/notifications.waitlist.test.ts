import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestBooking, slot } from '../testing/hubspot.js';
import { type NotificationsWorld, notificationsWorld } from '../testing/notifications.js';
import { testDatabases } from '../testing/test-app.js';

describe.each(testDatabases())('waitlist offer email on %s', (kind) => {
  let w: NotificationsWorld;
  beforeAll(async () => {
    w = await notificationsWorld(kind);
  }, 120_000);
  afterAll(async () => w?.close());

  it('a freed slot mails the first in line its deadline and a link that books it in one tap', async () => {
    const start = slot(3, 17);
    const holder = await guestBooking(w.t, w.facility.bayIds[0]!, start, { email: 'holder@example.com' });
    const registered = await w.t.request({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: 'waiter@example.com', password: 'customer-password-9', first_name: 'Wes' },
    });
    expect(registered.statusCode, registered.body).toBe(201);
    const joined = await w.t.request({
      method: 'POST',
      url: '/api/v1/waitlist',
      token: registered.json().access_token,
      payload: { simulator_id: w.facility.bayIds[0], start_time: start, duration: 60 },
    });
    expect(joined.statusCode, joined.body).toBe(201);
    const cancelled = await w.t.request({
      method: 'POST',
      url: `/api/v1/bookings/${holder.id}/cancel`,
      token: w.adminToken,
      payload: {},
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);

    const offer = await w.mail.waitForMessage(
      { to: 'waiter@example.com', subject: /A bay opened up/ },
      15_000,
    );
    expect(offer.text).toMatch(
      /Held for you until: \w{3} \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(America\/Toronto\)/,
    );
    const url = /Accept this booking: (\S+)/.exec(offer.text ?? '')?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:3000\/api\/v1\/notifications\/waitlist-offer\?token=/);
    expect(offer.html ?? '').toContain(url!.replace(/&/g, '&#38;'));
    const path = url!.replace(/^https?:\/\/[^/]+/, '');

    // Opening the link (or a mail scanner following it) books nothing.
    const opened = await w.t.request({ method: 'GET', url: path });
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.body).toContain('<form method="post"');
    const forged = await w.t.request({ method: 'POST', url: `${path}x` });
    expect(forged.statusCode).toBe(400);

    const tapped = await w.t.request({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    });
    expect(tapped.statusCode, tapped.body).toBe(200);
    expect(tapped.body).toContain('is confirmed');
    const confirmation = await w.mail.waitForMessage(
      { to: 'waiter@example.com', subject: /Booking confirmed/ },
      15_000,
    );
    expect(confirmation.text).toMatch(/Door PIN: \d{6}/);
    const again = await w.t.request({ method: 'POST', url: path });
    expect(again.statusCode).toBeGreaterThanOrEqual(400);
    expect(w.mail.messages({ to: 'waiter@example.com' })).toHaveLength(2);
  }, 60_000);
});
