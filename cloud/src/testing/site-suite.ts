import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium, openPage, startWebServer, type TrackedPage, type WebTestServer } from './browser.js';
import { createFacility, type FacilityFixture, type FacilityOptions } from './facility.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * The opening every site and dashboard e2e suite shares, registered as its first hooks: the cloud
 * with its built web apps, Chromium, one venue (`facility`) and the admin's token; closed after the
 * suite. Call it inside the `describe`; the suite's own `beforeAll` runs after it.
 */
export function siteSuite(facility: FacilityOptions) {
  let server: WebTestServer | undefined;
  let browser: Browser | undefined;
  let venue: FacilityFixture | undefined;
  let adminToken = '';
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`siteSuite: ${what} is used before the suite started`);
    return value;
  };

  beforeAll(async () => {
    server = await startWebServer();
    browser = await launchChromium();
    venue = await createFacility(server.t, facility);
    const login = await server.t.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: server.t.config.adminEmail, password: server.t.config.adminPassword },
    });
    adminToken = login.json().access_token;
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const site = {
    get server() {
      return ready(server, 'the server');
    },
    get browser() {
      return ready(browser, 'the browser');
    },
    get venue() {
      return ready(venue, 'the venue');
    },
    get adminToken() {
      return adminToken;
    },
    /** A JSON call to the API as the admin (or as `token`). */
    async api(method: Method, url: string, payload?: object, token = adminToken) {
      const res = await site.server.t.request({ method, url, payload, token });
      return { status: res.statusCode, body: res.json() };
    },
    /** A fresh tracked page of the site at `path` (see openPage). */
    open(path = '/', viewport?: { width: number; height: number }): Promise<TrackedPage> {
      return openPage(site.browser, site.server.baseUrl, path, viewport);
    },
  };
  return site;
}

export type SiteSuite = ReturnType<typeof siteSuite>;
