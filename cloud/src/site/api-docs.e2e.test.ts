import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchChromium,
  openPage,
  startWebServer,
  UI_TIMEOUT,
  type WebTestServer,
} from '../testing/browser.js';

// The "a newcomer can read its API docs in a browser": the docs page renders the route
// schemas in Chromium under the security headers every response carries (no script or style
// refused by the content security policy).
describe('API docs page in Chromium', { timeout: 120_000 }, () => {
  let server: WebTestServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startWebServer(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('renders the OpenAPI document with its operations', async () => {
    const { page, context, errors } = await openPage(browser, server.baseUrl, '/docs/');
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    await page.getByText('ClubOS Booking cloud API').first().waitFor({ timeout: UI_TIMEOUT });
    await page.getByText('/api/v1/bookings', { exact: true }).first().waitFor({ timeout: UI_TIMEOUT });
    const response = await page.request.get(`${server.baseUrl}/docs/`);
    expect(response.headers()['x-content-type-options']).toBe('nosniff');
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
