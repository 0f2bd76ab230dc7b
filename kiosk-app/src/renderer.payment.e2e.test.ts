import { ScriptedReader } from '@clubos/edge/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type KioskVenue,
  launchChromium,
  openKiosk,
  screenshot,
  startKioskVenue,
} from './testing/kiosk-browser.js';

/**
 * The kiosk at a venue that charges walk-ins on its card reader (a real edge; the cloud's payment
 * endpoints as a reader the test taps): paid, declined, and "to collect" while offline, up to the cap.
 */
let browser: Browser;
let venue: KioskVenue;
let reader: ScriptedReader;

beforeAll(async () => {
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  reader = new ScriptedReader();
  venue = await startKioskVenue({
    env: { WALK_IN_CARD_PAYMENT: 'true', WALK_IN_TO_COLLECT_CAP_CENTS: '5000' },
    cloudPayments: reader,
  });
}, 240_000);
afterEach(async () => {
  await venue?.close();
});

async function choose(page: Page, duration: RegExp, bay: RegExp) {
  await page.getByRole('button', { name: /Book a bay/ }).tap();
  await page.getByRole('button', { name: duration }).tap();
  await page.getByRole('button', { name: bay }).tap();
  await page.getByRole('button', { name: /Confirm and book/ }).tap();
}

describe('kiosk renderer: walk-ins paid on the card reader (headless Chromium)', () => {
  it('asks for the card, waits for it, then books once the card is accepted', async () => {
    const kiosk = await openKiosk(browser, venue);
    const { page } = kiosk;
    await choose(page, /^1\s*hour$/, /Bay 1/);
    await page.getByRole('heading', { name: 'Tap or insert your card on the reader' }).waitFor();
    await expect(page.getByTestId('pay-amount').textContent()).resolves.toBe('Bay 1 · $45.20');
    await screenshot(page, 'kiosk-pay-on-reader');
    expect(venue.cloud.eventsByType.get('walk_in.created')).toBeUndefined();
    const accepted = reader.present('accepted');
    await page.getByRole('heading', { name: "You're booked!" }).waitFor();
    await expect(page.getByTestId('paid').textContent()).resolves.toBe('$45.20');
    expect(venue.cloud.eventsByType.get('walk_in.created')).toBe(1);
    expect(reader.payments.get(accepted.payment_id)?.status).toBe('succeeded');
    expect(kiosk.errors).toEqual([]);
    await kiosk.close();
  });

  it('stops the reader when the customer cancels or starts over while it waits', async () => {
    const kiosk = await openKiosk(browser, venue);
    const { page } = kiosk;
    await choose(page, /^1\s*hour$/, /Bay 1/);
    await page.getByRole('heading', { name: 'Tap or insert your card on the reader' }).waitFor();
    await page.getByRole('button', { name: 'Cancel payment' }).tap();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/canceled; nothing was charged/);
    await page.getByRole('button', { name: /Confirm and book/ }).tap();
    await page.getByRole('heading', { name: 'Tap or insert your card on the reader' }).waitFor();
    await page.getByRole('button', { name: 'Start over', exact: true }).last().tap();
    await page.getByRole('heading', { name: 'Welcome' }).waitFor();
    await expect
      .poll(() => [...reader.payments.values()].map((p) => p.status))
      .toEqual(['canceled', 'canceled']);
    expect(venue.cloud.eventsByType.get('walk_in.created')).toBeUndefined();
    expect(kiosk.errors).toEqual([]);
    await kiosk.close();
  });

  it('says a declined card was declined and sells nothing', async () => {
    const kiosk = await openKiosk(browser, venue);
    const { page } = kiosk;
    await choose(page, /^1\s*hour$/, /Bay 1/);
    await page.getByRole('heading', { name: 'Tap or insert your card on the reader' }).waitFor();
    reader.present('declined');
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/declined.*nothing was charged/);
    await page.getByRole('button', { name: /Confirm and book/ }).waitFor();
    await screenshot(page, 'kiosk-card-declined');
    expect(venue.cloud.eventsByType.get('walk_in.created')).toBeUndefined();
    expect(kiosk.errors).toEqual([]);
    await kiosk.close();
  });

  it('offline: books "to collect" and says to pay at the desk; above the cap it refuses', async () => {
    const kiosk = await openKiosk(browser, venue);
    const { page } = kiosk;
    venue.cloud.down = true;
    reader.offline = true;
    await page.getByTestId('offline-banner').waitFor();
    await choose(page, /^1\s*hour$/, /Bay 1/);
    await page.getByRole('heading', { name: /booked/ }).waitFor();
    await expect(page.getByTestId('to-collect').textContent()).resolves.toMatch(/pay \$45\.20 at the desk/);
    await screenshot(page, 'kiosk-to-collect');
    await page.getByRole('button', { name: 'Done' }).tap();
    await choose(page, /^2\s*hours$/, /Bay 2/);
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toMatch(/offline.*over \$50\.00 cannot be sold/);
    const owed = await venue.edge.inject({
      url: '/api/v1/walk-ins/dues',
      headers: { authorization: venue.staffAuth },
    });
    expect(owed.json().dues).toEqual([expect.objectContaining({ amount_cents: 4520 })]);
    expect(kiosk.errors).toEqual([]);
    await kiosk.close();
  });
});
