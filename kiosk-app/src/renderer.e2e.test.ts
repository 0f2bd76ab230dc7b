import { issueAccessToken } from '@clubos/shared/credentials';
import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { doorQrImage } from '../renderer/door-qr.js';
import {
  type KioskVenue,
  launchChromium,
  openKiosk,
  screenshot,
  startKioskVenue,
} from './testing/kiosk-browser.js';

let browser: Browser;
let venue: KioskVenue;

beforeAll(async () => {
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  venue = await startKioskVenue();
}, 240_000);
afterEach(async () => {
  await venue?.close();
});

async function bookingByCode(code: string) {
  const res = await venue.edge.inject({
    url: `/api/v1/bookings/lookup?code=${code}`,
    headers: { authorization: venue.staffAuth },
  });
  expect(res.statusCode).toBe(200);
  return res.json() as {
    id: string;
    status: string;
    simulator_id: string;
    duration: number;
    origin: string;
    provisional: boolean;
  };
}

/** The front door (the fixture facility's default entrance), decided as for a scanner's scan. */
async function frontDoor(credential: { qr_code: string } | { pin: string }) {
  const res = await venue.edge.inject({
    method: 'POST',
    url: '/api/v1/doors/main/decisions',
    headers: { authorization: `Device ${venue.kioskKey}` },
    payload: credential,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { decision: string; reason: string; booking_id: string | null };
}

/** What the kiosk shows after a sale, checked against the edge's answer the renderer received. */
async function doorPass(page: Page, sale: Promise<Response>) {
  const sold = (await (await sale).json()) as {
    booking: { id: string };
    qr_code: string;
    access_code: string;
  };
  expect(sold.qr_code).toMatch(/^CB1\./);
  // The picture on screen is the door token's QR code, exactly (SVG renders the same in Node).
  const shown = await page.getByTestId('door-qr').getAttribute('src');
  expect(shown).toBe(await doorQrImage(sold.qr_code));
  const pin = ((await page.getByTestId('door-pin').textContent()) ?? '').replace(/\s/g, '');
  expect(pin).toBe(sold.access_code);
  return { bookingId: sold.booking.id, token: sold.qr_code, pin };
}

const walkInAnswer = (page: Page) =>
  page.waitForResponse((r) => r.url().endsWith('/api/v1/walk-ins') && r.request().method() === 'POST');

describe('kiosk renderer against a real edge (headless Chromium)', () => {
  it('sells a walk-in from the first tap to the stored booking, then checks it in on the keypad', async () => {
    const kiosk = await openKiosk(browser, venue);
    const { page } = kiosk;
    await page.getByRole('heading', { name: 'Welcome' }).waitFor();
    await screenshot(page, 'kiosk-welcome');
    await page.getByRole('button', { name: /Book a bay/ }).tap();
    await page.getByRole('button', { name: /^1\s*hour$/ }).tap();
    await page.getByRole('heading', { name: 'Bays free now' }).waitFor();
    await screenshot(page, 'kiosk-bays');
    await page.getByRole('button', { name: /Bay 1/ }).tap();
    // The seed's 40.00/h bay with the fixture's 13 % tax, explained line by line.
    await expect.poll(() => page.getByTestId('total').textContent()).toBe('$45.20');
    await expect(page.getByRole('table', { name: 'Price' }).textContent()).resolves.toMatch(/Tax/);
    await screenshot(page, 'kiosk-price');
    const sale = walkInAnswer(page);
    await page.getByRole('button', { name: /Confirm and book/ }).tap();
    await page.getByRole('heading', { name: "You're booked!" }).waitFor();
    await page.getByRole('img', { name: /QR code for booking/ }).waitFor();
    const code = (await page.getByTestId('booking-code').textContent()) ?? '';
    await expect(page.getByTestId('door-window').textContent()).resolves.toMatch(/Opens the doors/);
    await screenshot(page, 'kiosk-booked');

    // The QR and the PIN on screen open the front door, as the scanner and the keypad would.
    const pass = await doorPass(page, sale);
    expect(await frontDoor({ qr_code: pass.token })).toMatchObject({
      decision: 'granted',
      reason: 'valid',
      booking_id: pass.bookingId,
    });
    expect(await frontDoor({ pin: pass.pin })).toMatchObject({
      decision: 'granted',
      booking_id: pass.bookingId,
    });

    const stored = await bookingByCode(code);
    expect(stored).toMatchObject({ status: 'confirmed', simulator_id: venue.bayIds[0], duration: 60 });
    // Online: the cloud (the single writer) took it.
    expect(venue.cloud.eventsByType.get('walk_in.created')).toBe(1);

    await page.getByRole('button', { name: 'Done' }).tap();
    await page
      .getByRole('button', { name: /Check in/ })
      .first()
      .tap();
    for (const ch of code) await page.getByRole('button', { name: `Key ${ch}`, exact: true }).tap();
    await expect.poll(() => page.getByTestId('code-entry').textContent()).toBe(code);
    await page.getByRole('button', { name: 'Check in', exact: true }).tap();
    await page.getByRole('heading', { name: "You're checked in" }).waitFor();
    expect((await bookingByCode(code)).status).toBe('checked_in');
    expect(kiosk.errors).toEqual([]);
    await kiosk.close();
  });

  it('checks a booking in when a keyboard-wedge scanner types its QR token and Enter', async () => {
    const start = Math.ceil((Date.now() + 60_000) / 60_000) * 60_000;
    const sold = await venue.edge.inject({
      method: 'POST',
      url: '/api/v1/walk-ins',
      headers: { authorization: `Device ${venue.kioskKey}` },
      payload: { simulator_id: venue.bayIds[1], start_time: new Date(start).toISOString(), duration: 30 },
    });
    expect(sold.statusCode).toBe(201);
    const booking = sold.json().booking as { id: string; reference_code: string };
    const { token } = issueAccessToken({
      secretKey: venue.keys.secretKey,
      bookingId: booking.id,
      facilityId: venue.cloud.facilityId,
      doors: ['d0000000-0000-4000-8000-000000000001'],
      start,
      end: start + 30 * 60_000,
    });

    // A generous key gap: under load Chromium may deliver the scanner's burst slower than real hardware.
    const kiosk = await openKiosk(browser, venue, { wedgeGap: '2000' });
    const { page } = kiosk;
    await page.getByRole('heading', { name: 'Welcome' }).waitFor();
    await page.keyboard.type(token, { delay: 2 });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: "You're checked in" }).waitFor();
    await screenshot(page, 'kiosk-checked-in');
    expect((await bookingByCode(booking.reference_code)).status).toBe('checked_in');
    expect(kiosk.errors).toEqual([]);
    await kiosk.close();
  });

  it('shows the offline banner when the cloud is unreachable and still sells a walk-in inside the safe horizon', async () => {
    const kiosk = await openKiosk(browser, venue);
    const { page } = kiosk;
    await page.getByRole('heading', { name: 'Welcome' }).waitFor();
    expect(await page.getByTestId('offline-banner').count()).toBe(0);
    venue.cloud.down = true;
    await page.getByTestId('offline-banner').waitFor();
    await screenshot(page, 'kiosk-offline');

    await page.getByRole('button', { name: /Book a bay/ }).tap();
    await page.getByRole('button', { name: /^30\s*minutes$/ }).tap();
    await page.getByRole('button', { name: /Bay 2/ }).tap();
    const sale = walkInAnswer(page);
    await page.getByRole('button', { name: /Confirm and book/ }).tap();
    await page.getByRole('heading', { name: "You're booked!" }).waitFor();
    const code = (await page.getByTestId('booking-code').textContent()) ?? '';
    const stored = await bookingByCode(code);
    // Sold by the edge under the offline rule: final (not provisional), waiting in the outbox.
    expect(stored).toMatchObject({ status: 'confirmed', origin: 'edge', provisional: false });
    // No cloud needed for the door credentials either: the edge signed the token itself.
    const pass = await doorPass(page, sale);
    expect(await frontDoor({ qr_code: pass.token })).toMatchObject({ decision: 'granted' });
    expect(await frontDoor({ pin: pass.pin })).toMatchObject({ decision: 'granted' });

    // Two hours ends past the safe horizon (last pull + the 2 h minimum advance): held provisionally, and said so.
    await page.getByRole('button', { name: 'Done' }).tap();
    await page.getByRole('button', { name: /Book a bay/ }).tap();
    await page.getByRole('button', { name: /^2\s*hours$/ }).tap();
    await page.getByRole('button', { name: /Bay 1/ }).tap();
    await page.getByRole('button', { name: /Confirm and book/ }).tap();
    await page.getByRole('heading', { name: 'Provisionally booked' }).waitFor();
    await expect(page.getByRole('status').first().textContent()).resolves.toMatch(/provisional/);
    await screenshot(page, 'kiosk-provisional');
    const held = await bookingByCode((await page.getByTestId('booking-code').textContent()) ?? '');
    expect(held).toMatchObject({ origin: 'edge', provisional: true, duration: 120 });
    expect(kiosk.errors).toEqual([]);
    await kiosk.close();
  });

  it('returns to the welcome screen after the idle timeout', async () => {
    const kiosk = await openKiosk(browser, venue, { idle: '2' });
    const { page } = kiosk;
    await page.getByRole('button', { name: /Book a bay/ }).tap();
    await page.getByRole('heading', { name: /How long/ }).waitFor();
    await page.getByRole('heading', { name: 'Welcome' }).waitFor();
    expect(await page.getByRole('heading', { name: /How long/ }).count()).toBe(0);
    await kiosk.close();
  });
});
