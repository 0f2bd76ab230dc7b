import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot, venueClock } from '../testing/browser.js';
import { siteSuite } from '../testing/site-suite.js';

const ZONE = 'America/Toronto';

/** Venue-local wall times as the site's `data-slot` keys spell them. */
const { at, dayFromNow } = venueClock(ZONE);
const slotSelector = (bayId: string, instant: string) => `[data-slot="${bayId}|${instant}"]`;

describe('customer booking site in Chromium', { timeout: 120_000 }, () => {
  const pages: Page[] = [];

  async function showDate(page: Page, date: string) {
    await page.getByLabel('Date', { exact: true }).fill(date);
    await page.locator('.bay').first().waitFor();
  }

  const site = siteSuite({
    name: 'Fairway Social',
    timezone: ZONE,
    bays: 3,
    open: '08:00',
    close: '23:00',
    hourlyRateCents: 4000,
    pricingRules: [
      {
        name: 'Evening peak',
        conditions: { start_time: '17:00', end_time: '23:00' },
        modifier_type: 'percentage',
        price_modifier: 25,
      },
    ],
  });

  it('books as a guest with the keyboard and shows the QR code, PIN and booking code', async () => {
    const { page, errors } = await site.open('/');
    pages.push(page);
    const date = dayFromNow(1);
    await showDate(page, date);
    await page.getByText('Live — times update as others book').waitFor();
    await screenshot(page, '01-site-pick-a-time');

    const start = at(date, '18:00');
    const slot = page.locator(slotSelector(site.venue.bayIds[0]!, start));
    // Venue time, not the browser's (the context runs in Asia/Tokyo).
    expect(await slot.getAttribute('aria-label')).toBe('Bay 1, 6:00 PM to 7:00 PM, $50.00');
    await slot.focus();
    await page.keyboard.press('Enter');
    expect(await slot.getAttribute('aria-pressed')).toBe('true');
    await page.getByTestId('quote-total').filter({ hasText: '$50.00' }).waitFor();
    await page.getByText('Evening peak').waitFor();
    // The checkout heading takes focus so a screen reader announces the chosen bay.
    expect(await page.locator(':focus').textContent()).toBe('Bay 1');

    await page.getByLabel('Email').fill('guest.golfer@example.com');
    await page.getByLabel('First name').fill('Gale');
    await page.getByLabel('Last name').fill('Guest');
    await screenshot(page, '02-site-checkout');
    await page.getByRole('button', { name: 'Book for $50.00' }).click();

    await page.waitForURL(/\/confirmation\/[0-9a-f-]{36}$/);
    const qr = page.locator('img.qr');
    await qr.waitFor();
    const drawn = await qr.evaluate((img) => {
      const image = img as unknown as { complete: boolean; naturalWidth: number };
      return image.complete && image.naturalWidth > 100;
    });
    expect(drawn).toBe(true);
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    const pin = (await page.getByTestId('pin').textContent())?.trim();
    const code = (await page.getByTestId('reference-code').textContent())?.trim();
    expect(pin).toMatch(/^\d{6}$/);
    expect(await page.locator('h1').textContent()).toContain('6:00 PM');
    await screenshot(page, '03-site-confirmation');

    // The stored result: a confirmed booking for that guest, with the PIN and code shown.
    const id = page.url().split('/').pop()!;
    const stored = await site.api('GET', `/api/v1/bookings/${id}`);
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({
      status: 'confirmed',
      simulator_id: site.venue.bayIds[0],
      price_cents: 5000,
      access_code: pin,
      reference_code: code,
    });
    expect(Date.parse(stored.body.start_time)).toBe(Date.parse(start));
    const customer = await site.api('GET', `/api/v1/customers/${stored.body.customer_id}`);
    expect(JSON.stringify(customer.body)).toContain('guest.golfer@example.com');
    // The token behind the QR code is kept only in this tab (it is returned once, at booking).
    const token = (await page.evaluate(
      `JSON.parse(sessionStorage.getItem('clubos.site.booking.${id}') ?? '{}').booking?.qr_code`,
    )) as string;
    expect(typeof token).toBe('string');
    expect(token.length).toBeGreaterThan(40);
    expect(errors).toEqual([]);
  });

  it('removes a slot booked elsewhere within a second, without a reload, and announces it', async () => {
    const { page, errors } = await site.open('/');
    pages.push(page);
    const date = dayFromNow(1);
    await showDate(page, date);
    await page.getByText('Live — times update as others book').waitFor();
    const start = at(date, '10:00');
    const slot = page.locator(slotSelector(site.venue.bayIds[1]!, start));
    await slot.waitFor();
    await page.evaluate(() => {
      (globalThis as unknown as { marker: number }).marker = 42; // survives only if the page is not reloaded
    });

    const res = await site.api('POST', '/api/v1/bookings', {
      simulator_id: site.venue.bayIds[1],
      start_time: start,
      duration: 60,
      customer: { email: 'phone.caller@example.com', first_name: 'Phil' },
    });
    expect(res.status).toBe(201);
    const booked = Date.now();
    await slot.waitFor({ state: 'detached' });
    const elapsed = Date.now() - booked;
    console.info(`live update: slot gone ${elapsed} ms after the API booking committed`);
    expect(elapsed).toBeLessThan(1000);
    expect(await page.evaluate(() => (globalThis as unknown as { marker?: number }).marker)).toBe(42);
    await page
      .getByTestId('live-announcement')
      .filter({ hasText: 'Just booked: Bay 2 at 10:00 AM' })
      .waitFor();
    expect(errors).toEqual([]);
  });

  it('refuses a double booking: two tabs race for one slot, the loser sees why and the alternatives', async () => {
    const date = dayFromNow(2);
    const start = at(date, '12:00');
    const tabs = await Promise.all([site.open('/'), site.open('/')]);
    for (const [i, { page }] of tabs.entries()) {
      pages.push(page);
      await showDate(page, date);
      await page.locator(slotSelector(site.venue.bayIds[2]!, start)).click();
      await page.getByTestId('quote-total').waitFor();
      await page.getByLabel('Email').fill(`racer${i}@example.com`);
      await page.getByLabel('First name').fill(`Racer${i}`);
    }
    // The loser may never get to click: the live grid can replace its form with the conflict first.
    await Promise.all(
      tabs.map(({ page }) =>
        page
          .getByRole('button', { name: /^Book for/ })
          .click({ timeout: 10_000 })
          .catch(async (error: unknown) => {
            if ((await page.getByTestId('conflict').count()) === 0) throw error;
          }),
      ),
    );

    // Polled from Node: the site's CSP refuses the eval a string `waitForFunction` needs.
    const outcome = async (page: Page): Promise<'won' | 'lost'> => {
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        if (new URL(page.url()).pathname.startsWith('/confirmation/')) return 'won';
        if ((await page.getByTestId('conflict').count()) > 0) return 'lost';
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const shown = ((await page.locator('main').textContent()) ?? '').slice(0, 400);
      throw new Error(`neither a confirmation nor a conflict after 30 s at ${page.url()}: ${shown}`);
    };
    const results = await Promise.all(tabs.map(({ page }) => outcome(page)));
    expect([...results].sort()).toEqual(['lost', 'won']);
    const loser = tabs[results.indexOf('lost')]!.page;
    const conflict = loser.getByTestId('conflict');
    expect(await conflict.getByRole('alert').textContent()).toContain('Bay 3 at 12:00 PM was just taken');
    const alternatives = conflict.locator('.alternatives button');
    expect(await alternatives.count()).toBeGreaterThan(0);
    await screenshot(loser, '04-site-double-booking-refused');

    // Picking an alternative books it: the loser still gets a bay.
    await alternatives.first().click();
    await loser.getByRole('button', { name: /^Book for/ }).waitFor();
    expect(await loser.locator('form input[name="email"]').count()).toBe(1);

    const list = await site.api('GET', `/api/v1/bookings?facility_id=${site.venue.facilityId}&limit=200`);
    const onSlot = (
      list.body.bookings as { simulator_id: string; start_time: string; status: string }[]
    ).filter(
      (b) =>
        b.simulator_id === site.venue.bayIds[2] &&
        Date.parse(b.start_time) === Date.parse(start) &&
        b.status !== 'cancelled',
    );
    expect(onSlot).toHaveLength(1);
    for (const tab of tabs) expect(tab.errors).toEqual([]);
  });

  it('a chosen time booked elsewhere turns into the conflict with nearby free times, before Book is pressed', async () => {
    const date = dayFromNow(2);
    const start = at(date, '15:00');
    const { page, errors } = await site.open('/');
    pages.push(page);
    await showDate(page, date);
    await page.locator(slotSelector(site.venue.bayIds[1]!, start)).click();
    await page.getByTestId('quote-total').waitFor();
    const taken = await site.api('POST', '/api/v1/bookings', {
      simulator_id: site.venue.bayIds[1],
      start_time: start,
      duration: 60,
      customer: { email: 'phone.booker@example.com', first_name: 'Phone' },
    });
    expect(taken.status).toBe(201);

    const conflict = page.getByTestId('conflict');
    await conflict.waitFor({ timeout: 15_000 });
    expect(await conflict.getByRole('alert').textContent()).toContain('Bay 2 at 3:00 PM was just taken');
    const alternatives = conflict.locator('.alternatives button');
    expect(await alternatives.count()).toBeGreaterThan(0);
    for (const text of await alternatives.allTextContents()) expect(text).not.toMatch(/^Bay 2 · .*3:00 PM/);
    expect(await page.getByRole('button', { name: /^Book for/ }).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('signs in, shows the refund before cancelling, cancels, and stores the refund', async () => {
    const reg = await site.api('POST', '/api/v1/auth/register', {
      email: 'member.mia@example.com',
      password: 'member-password-1',
      first_name: 'Mia',
    });
    expect(reg.status).toBe(201);
    const start = at(dayFromNow(4), '09:00');
    const made = await site.api(
      'POST',
      '/api/v1/bookings',
      { simulator_id: site.venue.bayIds[0], start_time: start, duration: 60 },
      reg.body.access_token,
    );
    expect(made.status).toBe(201);

    const { page, errors } = await site.open('/account');
    pages.push(page);
    await page.getByLabel('Email').fill('member.mia@example.com');
    await page.getByLabel('Password').fill('member-password-1');
    await page.getByRole('button', { name: 'Sign in' }).last().click();
    const item = page.locator(`[data-booking="${made.body.id}"]`);
    await item.waitFor();
    await item.getByRole('button', { name: 'Cancel…' }).click();
    const preview = item.getByTestId('refund-preview');
    expect(await preview.textContent()).toContain('Refund if you cancel now: $40.00 of $40.00 (100');
    await screenshot(page, '05-site-cancel-refund-shown');
    await item.getByRole('button', { name: 'Cancel and refund $40.00' }).click();
    await page.getByText(`Booking ${made.body.reference_code} is cancelled. Refund: $40.00.`).waitFor();

    const stored = await site.api('GET', `/api/v1/bookings/${made.body.id}`);
    expect(stored.body).toMatchObject({ status: 'cancelled', refund_cents: 4000 });
    expect(errors).toEqual([]);
  });

  it('fits a phone screen without sideways scrolling', async () => {
    const { page, errors } = await site.open('/', { width: 390, height: 844 });
    pages.push(page);
    await showDate(page, dayFromNow(1));
    const overflow = (await page.evaluate(
      'document.documentElement.scrollWidth - window.innerWidth',
    )) as number;
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, '06-site-phone');
    expect(errors).toEqual([]);
  });
});
