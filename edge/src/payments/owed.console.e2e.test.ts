import { fileURLToPath } from 'node:url';
import { launchChromium, saveScreenshot } from '@clubos/simulators/testing';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeCloud } from '../testing/fake-cloud.js';
import { ScriptedReader } from '../testing/scripted-reader.js';
import { seedFacility } from '../testing/seed-facility.js';
import { eventually, tempDir } from '../testing/sync-harness.js';
import { buildTestEdge } from '../testing/test-edge.js';

/**
 * The console's "To collect" list in Chromium: walk-ins sold while the venue was offline, with what
 * they owe, settled at the desk in cash and on the reader once the link is back.
 */
const SCREENSHOTS = fileURLToPath(new URL('../../../test-artifacts/screenshots/', import.meta.url));

let browser: Browser;
let cloud: FakeCloud;
let reader: ScriptedReader;
let tmp: ReturnType<typeof tempDir>;
let app: FastifyInstance;
let baseUrl: string;
let bays: string[];
let staff: string;

beforeAll(async () => {
  browser = await launchChromium();
}, 300_000);
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  cloud = new FakeCloud();
  await cloud.listen();
  ({ bayIds: bays } = seedFacility(cloud, { bays: 2 }));
  reader = new ScriptedReader();
  tmp = tempDir('owed-console-e2e-');
  app = await buildTestEdge(
    tmp.dir,
    { CLOUD_URL: cloud.url, EDGE_KEY: cloud.issueKey(), WALK_IN_CARD_PAYMENT: 'true' },
    { facilityControl: { runTimers: false }, cloudPayments: reader },
  );
  baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  expect(await eventually(() => app.edge.sync?.link.online === true, 30_000)).toBe(true);
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: 'manager', password: 'correct horse' },
  });
  staff = `Bearer ${login.json().token}`;
}, 120_000);
afterEach(async () => {
  await app?.close();
  await cloud?.close();
  tmp?.cleanup();
});

async function sellOffline(bay: string, name: string): Promise<{ id: string; code: string }> {
  const start = Math.ceil((Date.now() + 60_000) / 60_000) * 60_000;
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/walk-ins',
    headers: { authorization: staff },
    payload: {
      simulator_id: bay,
      start_time: new Date(start).toISOString(),
      duration: 60,
      customer: { first_name: name },
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  expect(res.json().payment).toBe('to_collect');
  return { id: res.json().booking.id, code: res.json().booking.reference_code };
}

async function openConsole() {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1400, height: 1000 } });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/console/');
  await page.getByLabel('Username').fill('manager');
  await page.getByLabel('Password').fill('correct horse');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Bays' }).waitFor();
  return { page, context, errors };
}

describe('console: walk-ins paid at the desk (headless Chromium)', () => {
  it('sells a desk walk-in on the card reader once the card is accepted', async () => {
    const { page, context, errors } = await openConsole();
    const desk = page.getByRole('form', { name: 'Walk-in' });
    await desk.getByRole('button', { name: 'Get price' }).click();
    await desk.getByRole('button', { name: 'Book walk-in' }).click();
    await page.getByTestId('desk-reader').waitFor();
    await expect(page.getByTestId('desk-reader').textContent()).resolves.toMatch(/Tap or insert.*\$45\.20/);
    expect(cloud.eventsByType.get('walk_in.created')).toBeUndefined();
    const card = reader.present('accepted');
    await page.getByTestId('desk-code').waitFor();
    await expect(desk.getByRole('status').textContent()).resolves.toMatch(/paid by card/);
    expect(reader.payments.get(card.payment_id)?.status).toBe('succeeded');
    expect(cloud.eventsByType.get('walk_in.created')).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lists what offline walk-ins owe and settles them in cash and on the reader', async () => {
    cloud.down = true;
    reader.offline = true;
    expect(await eventually(() => app.edge.sync?.link.online === false, 30_000)).toBe(true);
    const ada = await sellOffline(bays[0]!, 'Ada');
    const bob = await sellOffline(bays[1]!, 'Bob');
    cloud.down = false;
    reader.offline = false;

    const { page, context, errors } = await openConsole();
    const owed = page.getByRole('table', { name: 'Walk-ins to collect' });
    await owed.waitFor();
    await expect.poll(() => owed.getByTestId('owed-row').count()).toBe(2);
    // The seed's 40.00/h bays with 13 % tax, formatted as every face prints money.
    expect(await owed.getByTestId('owed-amount').allTextContents()).toEqual(['$45.20', '$45.20']);
    await expect(owed.textContent()).resolves.toMatch(new RegExp(`${ada.code}.*${bob.code}`));
    await saveScreenshot(page, SCREENSHOTS, 'console-to-collect');

    await owed
      .getByRole('row', { name: new RegExp(ada.code) })
      .getByRole('button', { name: 'Cash' })
      .click();
    await expect.poll(() => owed.getByTestId('owed-row').count()).toBe(1);
    await page.getByRole('status').filter({ hasText: 'settled: $45.20 in cash' }).waitFor();

    await owed
      .getByRole('row', { name: new RegExp(bob.code) })
      .getByRole('button', { name: 'Card' })
      .click();
    await page.getByTestId('owed-reader').waitFor();
    await expect(page.getByTestId('owed-reader').textContent()).resolves.toMatch(/Tap or insert.*\$45\.20/);
    reader.present('accepted');
    await page.getByText('Nothing is owed.').waitFor();
    await page.getByRole('status').filter({ hasText: 'settled: $45.20 by card' }).waitFor();

    expect(reader.settled.map((s) => [s.booking_id, s.method, s.amount_cents, s.settled_by])).toEqual([
      [ada.id, 'cash', 4520, 'staff:manager'],
      [bob.id, 'card', 4520, 'staff:manager'],
    ]);
    const left = await app.inject({ url: '/api/v1/walk-ins/dues', headers: { authorization: staff } });
    expect(left.json().dues).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
