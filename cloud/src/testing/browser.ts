import { fileURLToPath } from 'node:url';
import { collectPageErrors, saveScreenshot } from '@clubos/simulators/testing';
import { DateTime } from 'luxon';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { CloudConfig } from '../config.js';
import { createTestApp, type TestApp } from './test-app.js';

export const SCREENSHOT_DIR = fileURLToPath(new URL('../../../test-artifacts/screenshots/', import.meta.url));

/** Generous: the CI machine has two cores shared by every suite. */
export const UI_TIMEOUT = 20_000;

export { launchChromium } from '@clubos/simulators/testing';

export interface WebTestServer {
  t: TestApp;
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * The real cloud on PGlite with the built web apps (built before the run by the vitest globalSetup,
 * scripts/web-builds.vitest-setup.ts), listening on an ephemeral loopback port.
 */
export async function startWebServer(overrides: Partial<CloudConfig> = {}): Promise<WebTestServer> {
  const t = await createTestApp('pglite', overrides);
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  return { t, baseUrl: address, close: () => t.close() };
}

export interface TrackedPage {
  page: Page;
  context: BrowserContext;
  /** Uncaught exceptions and console errors seen so far (a test asserts this stays empty). */
  errors: string[];
}

/** A fresh context (own storage) and page; `viewport` defaults to a laptop, pass a phone size to test that. */
export async function openPage(
  browser: Browser,
  baseUrl: string,
  path = '/',
  viewport = { width: 1280, height: 900 },
): Promise<TrackedPage> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport, timezoneId: 'Asia/Tokyo' });
  context.setDefaultTimeout(UI_TIMEOUT);
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(path);
  return { page, context, errors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  // From the top, so the sticky header is not painted over the middle of a full-page shot.
  await page.evaluate('window.scrollTo(0, 0)');
  return saveScreenshot(page, SCREENSHOT_DIR, name);
}

/**
 * Wall-clock helpers in a venue's zone: `at(date, '10:00')` is the instant as the site's
 * `data-slot` keys spell it (ISO, UTC, milliseconds), `dayFromNow(2)` and `today()` are dates.
 */
export function venueClock(zone: string) {
  return {
    at: (date: string, time: string): string =>
      DateTime.fromISO(`${date}T${time}`, { zone }).toUTC().toJSDate().toISOString(),
    dayFromNow: (days: number): string => DateTime.now().setZone(zone).plus({ days }).toISODate()!,
    today: (): string => DateTime.now().setZone(zone).toISODate()!,
  };
}
