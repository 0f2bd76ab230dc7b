import { fileURLToPath } from 'node:url';
import { edgeApp, KIOSK_RENDERER_DIR } from '@clubos/edge/app';
import { loadConfig } from '@clubos/edge/config';
import type { CloudPayments } from '@clubos/edge/payments/cloud-payments.client';
import { eventually, FakeCloud, seedFacility, tempDir } from '@clubos/edge/testing';
import { bytesToHex, generateSigningKeyPair, type SigningKeyPair } from '@clubos/shared/credentials';
import { collectPageErrors, saveScreenshot } from '@clubos/simulators/testing';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { rendererAddress, withDeviceKey } from '../navigation-guard.js';

export const SCREENSHOT_DIR = fileURLToPath(new URL('../../../test-artifacts/screenshots/', import.meta.url));
/** Generous: two cores shared by every suite. */
export const UI_TIMEOUT = 30_000;

export { launchChromium } from '@clubos/simulators/testing';

export interface KioskVenue {
  cloud: FakeCloud;
  edge: FastifyInstance;
  baseUrl: string;
  bayIds: string[];
  keys: SigningKeyPair;
  staffAuth: string;
  kioskKey: string;
  close(): Promise<void>;
}

/**
 * A real edge app (SQLite in a temp folder, syncing from a fake cloud) listening on port 0, serving
 * the kiosk renderer's build (made before the run by scripts/web-builds.vitest-setup.ts) under
 * `/kiosk/` itself, as it does for the Electron kiosk.
 */
export async function startKioskVenue(
  options: { env?: Record<string, string>; cloudPayments?: CloudPayments } = {},
): Promise<KioskVenue> {
  const cloud = new FakeCloud();
  await cloud.listen();
  const { bayIds } = seedFacility(cloud, { bays: 2 });
  const keys = generateSigningKeyPair();
  const tmp = tempDir('kiosk-e2e-');
  const config = loadConfig({
    EDGE_DATA_DIR: tmp.dir,
    CLOUD_URL: cloud.url,
    EDGE_KEY: cloud.issueKey(),
    EDGE_STAFF_USERNAME: 'manager',
    EDGE_STAFF_PASSWORD: 'correct horse',
    ACCESS_TOKEN_PUBLIC_KEY: bytesToHex(keys.publicKey),
    SYNC_LONG_POLL_MS: '200',
    SYNC_BACKOFF_BASE_MS: '20',
    SYNC_BACKOFF_MAX_MS: '200',
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const edge = Fastify({ logger: false });
  await edge.register(edgeApp, {
    config,
    facilityControl: { mqttPort: 0 },
    kioskRendererDir: KIOSK_RENDERER_DIR,
    ...(options.cloudPayments ? { cloudPayments: options.cloudPayments } : {}),
  });
  const baseUrl = await edge.listen({ port: 0, host: '127.0.0.1' });
  if (!(await eventually(() => edge.edge.sync?.link.online === true, 30_000))) {
    throw new Error('the edge never reached the fake cloud');
  }
  const login = await edge.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: 'manager', password: 'correct horse' },
  });
  const staffAuth = `Bearer ${login.json().token}`;
  const created = await edge.inject({
    method: 'POST',
    url: '/api/v1/kiosks',
    headers: { authorization: staffAuth },
    payload: { name: 'Lobby kiosk' },
  });
  return {
    cloud,
    edge,
    baseUrl,
    bayIds,
    keys,
    staffAuth,
    kioskKey: created.json().key as string,
    async close() {
      await edge.close();
      await cloud.close();
      tmp.cleanup();
    },
  };
}

export interface KioskPage {
  page: Page;
  errors: string[];
  close(): Promise<void>;
}

/**
 * The kiosk as Electron runs it (kiosk-shell.ts), on a landscape 1280×800 touch screen: the page
 * the shell loads (the renderer the edge serves), and the device key added to the edge's requests
 * only, as the shell's header hook does; `params` add to or override the page's settings.
 */
export async function openKiosk(
  browser: Browser,
  venue: KioskVenue,
  params: Record<string, string> = {},
): Promise<KioskPage> {
  const context = await browser.newContext({
    baseURL: venue.baseUrl,
    viewport: { width: 1280, height: 800 },
    hasTouch: true,
    timezoneId: 'America/Toronto',
  });
  context.setDefaultTimeout(UI_TIMEOUT);
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  const electronConfig = { edgeUrl: venue.baseUrl.replace(/\/+$/, ''), deviceKey: venue.kioskKey };
  await context.route('**/*', (route) =>
    route.continue({
      headers: withDeviceKey(route.request().url(), route.request().headers(), electronConfig),
    }),
  );
  const address = new URL(rendererAddress({ edgeUrl: electronConfig.edgeUrl, idleSeconds: 60 }));
  for (const [name, value] of Object.entries({ poll: '500', ...params }))
    address.searchParams.set(name, value);
  await page.goto(address.toString());
  return { page, errors, close: () => context.close() };
}

export function screenshot(page: Page, name: string): Promise<string> {
  return saveScreenshot(page, SCREENSHOT_DIR, name);
}
