import { connect } from 'node:net';
import nodemailer, { type Transporter } from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { type MailServer, startMailServer } from './mail.server.js';

const ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//ClubOS//Booking//EN',
  'METHOD:REQUEST',
  'BEGIN:VEVENT',
  'UID:booking-42@clubos.test',
  'DTSTART:20260105T180000Z',
  'DTEND:20260105T190000Z',
  'SUMMARY:Bay 3 – Café Golf',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

let mail: MailServer;
let transports: Transporter[] = [];

function transport(options: Record<string, unknown> = {}): Transporter {
  const t = nodemailer.createTransport({ host: mail.host, port: mail.port, secure: false, ...options });
  transports.push(t);
  return t;
}

afterEach(async () => {
  for (const t of transports) t.close();
  transports = [];
  await mail.close();
});

describe('test mail server: real SMTP, parsed messages, the HTTP API', () => {
  it('receives what nodemailer sends (HTML + text, an .ics, List-Unsubscribe) and reads it back parsed', async () => {
    mail = await startMailServer();
    const info = await transport().sendMail({
      from: '"ClubOS Booking" <bookings@clubos.test>',
      to: 'Lee Park <lee@example.com>',
      cc: 'front-desk@clubos.test',
      subject: 'Your booking: Bay 3, 5 Jan 18:00 ✓',
      text: 'Bay 3 is yours on 5 Jan at 18:00.',
      html: '<p>Bay 3 is yours on <b>5 Jan</b> at 18:00.</p>',
      list: {
        unsubscribe: [
          { url: 'https://clubos.test/u/abc', comment: 'Unsubscribe' },
          'mailto:unsubscribe@clubos.test?subject=abc',
        ],
      },
      headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click', 'X-Booking-Id': 'booking-42' },
      icalEvent: { method: 'REQUEST', filename: 'booking.ics', content: ICS },
      attachments: [{ filename: 'receipt.txt', content: 'Paid 25.00 EUR' }],
    });
    expect(info.accepted).toEqual(['lee@example.com', 'front-desk@clubos.test']);
    const received = await mail.waitForMessage({ to: 'LEE@example.com' });
    expect(received).toMatchObject({
      envelope: { from: 'bookings@clubos.test', to: ['lee@example.com', 'front-desk@clubos.test'] },
      messageId: info.messageId,
      subject: 'Your booking: Bay 3, 5 Jan 18:00 ✓',
      from: [{ name: 'ClubOS Booking', address: 'bookings@clubos.test' }],
      to: [{ name: 'Lee Park', address: 'lee@example.com' }],
      cc: [{ name: '', address: 'front-desk@clubos.test' }],
      html: '<p>Bay 3 is yours on <b>5 Jan</b> at 18:00.</p>',
    });
    expect(received.text?.trim()).toBe('Bay 3 is yours on 5 Jan at 18:00.');
    // nodemailer writes one List-Unsubscribe header per `list.unsubscribe` entry; a repeated header
    // reads back as an array (one header with both URIs needs `headers`, not `list`).
    expect(received.headers['list-unsubscribe']).toEqual([
      '<https://clubos.test/u/abc> (Unsubscribe)',
      '<mailto:unsubscribe@clubos.test?subject=abc>',
    ]);
    expect(received.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(received.headers['x-booking-id']).toBe('booking-42');
    const ics = received.attachments.find((a) => a.contentType === 'text/calendar');
    expect(ics?.content.toString('utf8')).toBe(ICS);
    expect(received.attachments.find((a) => a.filename === 'receipt.txt')?.content.toString()).toBe(
      'Paid 25.00 EUR',
    );
  });

  it('serves messages, attachments, the raw message, a wait and an inbox page over HTTP', async () => {
    mail = await startMailServer();
    const waiting = fetch(`${mail.httpUrl}/wait?to=kim@example.com&timeout_ms=5000`);
    await transport().sendMail({
      from: 'bookings@clubos.test',
      to: 'kim@example.com',
      subject: 'Reminder <tomorrow>',
      text: 'See you',
      attachments: [{ filename: 'booking.ics', content: ICS, contentType: 'text/calendar; method=REQUEST' }],
    });
    const waited = (await (await waiting).json()) as {
      id: string;
      subject: string;
      attachments: Array<{ url: string }>;
    };
    expect(waited.subject).toBe('Reminder <tomorrow>');
    const list = (await (await fetch(`${mail.httpUrl}/messages?to=kim@example.com`)).json()) as {
      received: number;
      messages: Array<{ id: string; raw?: unknown; size: number }>;
    };
    expect(list.received).toBe(1);
    expect(list.messages[0]?.raw).toBeUndefined();
    expect(list.messages[0]?.size).toBeGreaterThan(ICS.length);
    const attachment = await fetch(`${mail.httpUrl}${waited.attachments[0]?.url}`);
    expect(attachment.headers.get('content-type')).toMatch(/^text\/calendar/);
    expect(await attachment.text()).toBe(ICS);
    const raw = await (await fetch(`${mail.httpUrl}/messages/${waited.id}/raw`)).text();
    expect(raw).toMatch(/^Content-Type: multipart\/mixed/m);
    const inbox = await (await fetch(`${mail.httpUrl}/`)).text();
    expect(inbox).toContain('Reminder &lt;tomorrow&gt;');
    expect((await fetch(`${mail.httpUrl}/wait?to=nobody@example.com&timeout_ms=50`)).status).toBe(408);
    expect((await fetch(`${mail.httpUrl}/wait?timeout_ms=soon`)).status).toBe(400);
    expect((await fetch(`${mail.httpUrl}/messages/m999`)).status).toBe(404);
    expect((await fetch(`${mail.httpUrl}/messages`, { method: 'DELETE' })).status).toBe(204);
    expect(mail.messages()).toEqual([]);
  });

  it('refuses transactions and recipients on demand with the SMTP code nodemailer reports', async () => {
    mail = await startMailServer();
    const t = transport();
    const send = (to: string) => t.sendMail({ from: 'bookings@clubos.test', to, subject: 's', text: 't' });
    mail.faults.refuseNext(451, 2);
    await expect(send('a@example.com')).rejects.toMatchObject({ responseCode: 451, command: 'MAIL FROM' });
    await expect(send('a@example.com')).rejects.toMatchObject({ responseCode: 451 });
    await send('a@example.com');
    const faults = await fetch(`${mail.httpUrl}/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refuse_recipient: { address: 'Gone@example.com' } }),
    });
    expect(((await faults.json()) as { recipients: object }).recipients).toEqual({
      'gone@example.com': { code: 550, message: 'Mailbox unavailable' },
    });
    await expect(send('gone@example.com')).rejects.toMatchObject({ responseCode: 550, command: 'RCPT TO' });
    expect(mail.messages().map((m) => m.envelope.to)).toEqual([['a@example.com']]);
    const bad = await fetch(`${mail.httpUrl}/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refuse: { code: 250 } }),
    });
    expect([bad.status, ((await bad.json()) as { message: string }).message]).toEqual([
      400,
      'code: an SMTP error code 400-599, got 250',
    ]);
  });

  it('requires AUTH when configured (smtp URL with credentials), and refuses wrong ones with 535', async () => {
    mail = await startMailServer({ auth: { user: 'clubos', pass: 's3cret' }, httpPort: false });
    expect(mail.httpUrl).toBeNull();
    const good = nodemailer.createTransport(mail.smtpUrl);
    transports.push(good);
    await good.sendMail({ from: 'a@clubos.test', to: 'b@example.com', subject: 'ok', text: 'ok' });
    await expect(
      transport({ auth: { user: 'clubos', pass: 'nope' } }).sendMail({
        from: 'a@clubos.test',
        to: 'b@example.com',
        text: 'x',
      }),
    ).rejects.toMatchObject({ responseCode: 535 });
    await expect(
      transport().sendMail({ from: 'a@clubos.test', to: 'b@example.com', text: 'x' }),
    ).rejects.toMatchObject({
      responseCode: 530,
    });
    expect(mail.messages().map((m) => m.subject)).toEqual(['ok']);
  });

  it('takes a pooled burst and keeps at most maxMessages, counting every one received', async () => {
    mail = await startMailServer({ maxMessages: 50 });
    const pool = transport({ pool: true, maxConnections: 5, maxMessages: Number.POSITIVE_INFINITY });
    await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        pool.sendMail({ from: 'bookings@clubos.test', to: `p${i}@example.com`, subject: `n${i}`, text: 'x' }),
      ),
    );
    await mail.waitForCount(120);
    expect(mail.received()).toBe(120);
    expect(mail.messages().length).toBeLessThanOrEqual(55);
    expect(mail.messages().at(-1)?.subject).toBe('n119');
    await expect(mail.waitForMessage({ subject: /never/ }, 20)).rejects.toThrow(
      /within 20 ms \(120 received\)/,
    );
  });

  it('survives a client that resets its connection mid-session', async () => {
    mail = await startMailServer();
    const socket = connect(mail.port, mail.host);
    await new Promise((resolve) => socket.once('data', resolve));
    socket.write('EHLO reset.test\r\nMAIL FROM:<a@clubos.test>\r\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.resetAndDestroy();
    await expect.poll(() => mail.connectionErrors()).toBe(1);
    await transport().sendMail({
      from: 'a@clubos.test',
      to: 'b@example.com',
      subject: 'still here',
      text: 'x',
    });
    expect((await mail.waitForMessage({ subject: 'still here' })).envelope.to).toEqual(['b@example.com']);
  });
});
