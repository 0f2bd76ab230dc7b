import { fileURLToPath } from 'node:url';
import { launchChromium, saveScreenshot } from '@clubos/simulators/testing';
import { startUnifiSimulator, type UnifiSimulator } from '@clubos/simulators/unifi/unifi.simulator';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { facilityDoorIds } from '../doors/door-lookup.repository.js';
import { UnifiAccessClient } from '../doors/unifi-access.client.js';
import { FakeCloud } from '../testing/fake-cloud.js';
import { seedFacility } from '../testing/seed-facility.js';
import { eventually, tempDir } from '../testing/sync-harness.js';
import { buildTestEdge } from '../testing/test-edge.js';

const SCREENSHOTS = fileURLToPath(new URL('../../../test-artifacts/screenshots/', import.meta.url));
const UI_TIMEOUT = 30_000;

let browser: Browser;
let cloud: FakeCloud;
let unifi: UnifiSimulator;
let tmp: ReturnType<typeof tempDir>;
let app: FastifyInstance;
let baseUrl: string;
let bays: string[];
let staff: string;

async function shot(page: Page, name: string) {
  await saveScreenshot(page, SCREENSHOTS, name);
}

// The console's build is made before the run (scripts/web-builds.vitest-setup.ts).
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
  unifi = await startUnifiSimulator({ token: 'console-test-token', host: '127.0.0.1', port: 0 });
  tmp = tempDir('console-e2e-');
  app = await buildTestEdge(
    tmp.dir,
    { CLOUD_URL: cloud.url, EDGE_KEY: cloud.issueKey() },
    {
      facilityControl: {
        runTimers: false,
        unifi: new UnifiAccessClient({ baseUrl: unifi.url, token: 'console-test-token' }),
      },
    },
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
  await unifi?.close();
  await cloud?.close();
  tmp?.cleanup();
});

function hasDoor(doorId: string): boolean {
  return facilityDoorIds(app.edge.database.db).includes(doorId);
}

async function openConsole() {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1400, height: 1000 } });
  context.setDefaultTimeout(UI_TIMEOUT);
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

describe('staff console against a real edge (headless Chromium)', () => {
  it('refuses a wrong password, then signs in and shows a booking on the live board', async () => {
    const context = await browser.newContext({ baseURL: baseUrl });
    context.setDefaultTimeout(UI_TIMEOUT);
    const page = await context.newPage();
    await page.goto('/console/');
    await page.getByLabel('Username').fill('manager');
    await page.getByLabel('Password').fill('wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await shot(page, 'console-login');
    await context.close();

    const c = await openConsole();
    await c.page.getByText('Live', { exact: true }).waitFor();
    // Sold after the board loaded: the events stream must bring it in without a reload.
    const start = Math.ceil((Date.now() + 60_000) / 60_000) * 60_000;
    const sold = await app.inject({
      method: 'POST',
      url: '/api/v1/walk-ins',
      headers: { authorization: staff },
      payload: {
        simulator_id: bays[0],
        start_time: new Date(start).toISOString(),
        duration: 60,
        customer: { first_name: 'Ana' },
      },
    });
    expect(sold.statusCode).toBe(201);
    const code = sold.json().booking.reference_code as string;
    const bay1 = c.page.getByRole('article', { name: 'Bay 1' });
    await bay1.getByText(code).waitFor();
    await expect(bay1.textContent()).resolves.toMatch(/Next.*Not checked in/);
    await shot(c.page, 'console-board');
    expect(c.errors).toEqual([]);
    await c.context.close();
  }, 120_000);

  it('books a walk-in at the desk and stores it on the edge', async () => {
    const c = await openConsole();
    const form = c.page.getByRole('form', { name: 'Walk-in' });
    await form.getByLabel('Bay').selectOption({ label: 'Bay 2' });
    await form.getByLabel('Duration').selectOption('30');
    await form.getByRole('button', { name: 'Get price' }).click();
    await form.getByRole('button', { name: 'Book walk-in' }).click();
    const code = (await c.page.getByTestId('desk-code').textContent()) ?? '';
    expect(code).toMatch(/^[2-9A-Z]{6}$/);
    const stored = await app.inject({
      url: `/api/v1/bookings/lookup?code=${code}`,
      headers: { authorization: staff },
    });
    expect(stored.json()).toMatchObject({ simulator_id: bays[1], duration: 30, status: 'confirmed' });
    await c.page.getByRole('article', { name: 'Bay 2' }).getByText(code).waitFor();
    expect(c.errors).toEqual([]);
    await c.context.close();
  }, 120_000);

  it('asks for confirmation before a lockdown and applies it only after', async () => {
    const c = await openConsole();
    await expect
      .poll(() => c.page.getByTestId('emergency-state').textContent(), { timeout: UI_TIMEOUT })
      .toBe('normal');
    await c.page.getByRole('button', { name: 'Lockdown…' }).click();
    const dialog = c.page.getByRole('alertdialog', { name: 'Confirm lockdown?' });
    await dialog.waitFor();
    await shot(c.page, 'console-lockdown-confirm');
    const before = await app.inject({ url: '/api/v1/doors/emergency', headers: { authorization: staff } });
    expect(before.json()).toEqual({ lockdown: false, evacuation: false });

    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await c.page.getByRole('alertdialog').count()).toBe(0);
    await c.page.getByRole('button', { name: 'Lockdown…' }).click();
    await c.page.getByRole('button', { name: 'Yes, start lockdown' }).click();
    await expect
      .poll(() => c.page.getByTestId('emergency-state').textContent(), { timeout: UI_TIMEOUT })
      .toBe('lockdown');
    const after = await app.inject({ url: '/api/v1/doors/emergency', headers: { authorization: staff } });
    expect(after.json()).toEqual({ lockdown: true, evacuation: false });
    // The audit log and the critical alert show it, live.
    await c.page
      .getByRole('region', { name: /Alerts/ })
      .getByText(/lockdown is active/)
      .waitFor();
    expect(c.errors).toEqual([]);
    await c.context.close();
  }, 120_000);

  it('unlocks one door from the door panel only after confirmation, and the controller sees who did it', async () => {
    // Bay 2's door is the UniFi simulator's second bay door, as the cloud would replicate it.
    const BAY2_DOOR = 'd0000000-0000-4000-8000-000000000003';
    cloud.put('bay', bays[1]!, {
      facility_id: cloud.facilityId,
      name: 'Bay 2',
      type: 'trackman',
      bay_number: 2,
      hourly_rate: '40.00',
      hourly_rate_cents: 4000,
      status: 'active',
      maintenance_until: null,
      unifi_door_id: BAY2_DOOR,
    });
    expect(
      await eventually(() => app.facilityControl.remoteUnlock !== null && hasDoor(BAY2_DOOR), 30_000),
    ).toBe(true);
    const c = await openConsole();
    const panel = c.page.getByRole('region', { name: 'Unlock a door' });
    await panel.getByRole('button', { name: 'Unlock Bay 2 door…' }).click();
    const dialog = c.page.getByRole('alertdialog', { name: 'Unlock Bay 2 door?' });
    await dialog.waitFor();
    expect(unifi.control.unlocks()).toHaveLength(0);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await c.page.getByRole('alertdialog').count()).toBe(0);
    expect(unifi.control.unlocks()).toHaveLength(0);

    await panel.getByRole('button', { name: 'Unlock Bay 2 door…' }).click();
    await dialog.getByLabel('Reason (optional)').fill('locked out after a break');
    await shot(c.page, 'console-door-unlock-confirm');
    await dialog.getByRole('button', { name: 'Yes, unlock Bay 2 door' }).click();
    await c.page.getByTestId('unlock-result').getByText('Bay 2 door unlocked').waitFor();
    expect(unifi.control.unlocks()).toEqual([
      expect.objectContaining({
        door_id: BAY2_DOOR,
        actor_name: 'staff:manager',
        extra: expect.objectContaining({ reason: 'locked out after a break' }),
      }),
    ]);
    // The activity feed shows the audited unlock.
    await c.page
      .getByText(/door\.remote_unlock/)
      .first()
      .waitFor();
    expect(c.errors).toEqual([]);
    await c.context.close();
  }, 120_000);
});
