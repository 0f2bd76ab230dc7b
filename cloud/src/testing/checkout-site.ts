import { type StripeSimulator, startStripeSimulator } from '@clubos/simulators/stripe/index';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { launchChromium, openPage, startWebServer, type TrackedPage, type WebTestServer } from './browser.js';
import { createFacility, type FacilityFixture, type FacilityOptions } from './facility.js';
import { WEBHOOK_SECRET } from './stripe.js';

/**
 * The customer site with online payment on: the cloud (PGlite, built web apps) with its Stripe SDK
 * on an in-process simulator whose signed webhooks reach it over HTTP, Chromium, and one venue
 * with `policy`. Call it inside the `describe`.
 */
export function checkoutSiteSuite(facility: FacilityOptions, policy: Record<string, unknown>) {
  let sim: StripeSimulator | undefined;
  let server: WebTestServer | undefined;
  let browser: Browser | undefined;
  let venue: FacilityFixture | undefined;
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`checkoutSiteSuite: ${what} is used before the suite started`);
    return value;
  };

  beforeAll(async () => {
    sim = await startStripeSimulator({
      port: 0,
      webhooks: { retryDelaysMs: [50, 200, 1_000], timeoutMs: 5_000 },
    });
    server = await startWebServer({
      payments: {
        stripeSecretKey: sim.apiKey,
        webhookSecret: WEBHOOK_SECRET,
        api: sim.sdkConfig,
        maxNetworkRetries: 1,
        timeoutMs: 5_000,
        // The suites sweep themselves: a timer's sweep would race their own.
        expirySweepMs: 0,
      },
    });
    sim.control.addWebhookEndpoint({
      url: `${server.baseUrl}/api/v1/payments/stripe/webhook`,
      events: ['*'],
      secret: WEBHOOK_SECRET,
    });
    browser = await launchChromium();
    venue = await createFacility(server.t, facility);
    const login = await server.t.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: server.t.config.adminEmail, password: server.t.config.adminPassword },
    });
    const res = await server.t.request({
      method: 'PUT',
      url: `/api/v1/admin/facilities/${venue.facilityId}/payment-policy`,
      token: login.json().access_token,
      payload: policy,
    });
    expect(res.statusCode, res.body).toBe(200);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await sim?.close();
  });

  const suite = {
    get sim() {
      return ready(sim, 'the Stripe simulator');
    },
    get server() {
      return ready(server, 'the server');
    },
    get venue() {
      return ready(venue, 'the venue');
    },
    open(path = '/'): Promise<TrackedPage> {
      return openPage(ready(browser, 'the browser'), suite.server.baseUrl, path);
    },
  };
  return suite;
}
