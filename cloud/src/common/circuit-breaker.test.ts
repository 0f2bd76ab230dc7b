import { DomainError } from '@clubos/shared/errors';
import { startHubspotSimulator } from '@clubos/simulators/hubspot/index';
import { startStripeSimulator } from '@clubos/simulators/stripe/index';
import { DEFAULT_FROM, startTwilioSimulator } from '@clubos/simulators/twilio/index';
import { afterEach, describe, expect, it } from 'vitest';
import { HubspotCrmClient } from '../hubspot/hubspot-crm.client.js';
import { classifyFailure } from '../hubspot/hubspot-retry.policy.js';
import { twilioClient } from '../notifications/twilio.client.js';
import { createStripeClient } from '../payments/stripe.client.js';
import { type DependencyBreaker, DependencyBreakers, isBreakerOpen } from './circuit-breaker.js';

const settings = { failures: 3, openMs: 400 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Scenario {
  breaker: DependencyBreaker;
  /** One call through the real client. */
  call: () => Promise<unknown>;
  /** Requests the simulator has seen so far. */
  seen: () => number;
  fail: () => void;
  heal: () => void;
}

/**
 * Opens after `failures` failed calls, then refuses without sending anything, lets one trial call
 * through after `openMs`, and closes when that call succeeds.
 */
async function opensFailsFastAndCloses(s: Scenario): Promise<void> {
  expect(s.breaker.state).toBe('closed');
  await expect(s.call()).resolves.toBeDefined();
  s.fail();
  for (let i = 0; i < settings.failures; i++) await expect(s.call()).rejects.toBeDefined();
  expect(s.breaker.state).toBe('open');

  const sentBefore = s.seen();
  for (let i = 0; i < 5; i++) {
    const refused = await s.call().catch((error: unknown) => error);
    // The SDKs pass it on as is (HubSpot, Twilio) or as the cause of their own error (Stripe).
    const refusal = isBreakerOpen(refused) ? refused : (refused as { detail?: unknown }).detail;
    expect(isBreakerOpen(refusal), String(refused)).toBe(true);
  }
  expect(s.seen(), 'no request reaches the service while the breaker is open').toBe(sentBefore);

  s.heal();
  await sleep(settings.openMs + 100);
  expect(s.breaker.state).toBe('half_open');
  await expect(s.call()).resolves.toBeDefined();
  expect(s.breaker.state).toBe('closed');
  expect(s.seen()).toBe(sentBefore + 1);
}

describe('circuit breakers against the simulators', { timeout: 60_000 }, () => {
  const closers: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  it('HubSpot (down, then slow past the client timeout): opens, fails fast, half-opens, closes', async () => {
    const sim = await startHubspotSimulator({ accessToken: 'hs-token', logger: false });
    const breaker = new DependencyBreakers(settings).hubspot;
    const crm = new HubspotCrmClient({
      accessToken: 'hs-token',
      baseUrl: sim.url,
      requestTimeoutMs: 300,
      breaker,
    });
    closers.push(
      () => crm.close(),
      () => sim.close(),
    );
    const call = () => crm.propertyNames('contacts');
    const seen = () => sim.state.requests().length;
    await opensFailsFastAndCloses({
      breaker,
      call,
      seen,
      fail: () => sim.control.fault({ kind: 'down' }),
      heal: () => sim.control.clearFaults(),
    });
    // A slow HubSpot (answering after the client's timeout) opens a fresh breaker too.
    const slowBreaker = new DependencyBreakers(settings).hubspot;
    const slowCrm = new HubspotCrmClient({
      accessToken: 'hs-token',
      baseUrl: sim.url,
      requestTimeoutMs: 300,
      breaker: slowBreaker,
    });
    closers.push(() => slowCrm.close());
    sim.control.fault({ kind: 'slow', delayMs: 1_000 });
    for (let i = 0; i < settings.failures; i++)
      await expect(slowCrm.propertyNames('contacts')).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    expect(slowBreaker.state).toBe('open');
    sim.control.clearFaults();
  });

  it('HubSpot: a refused item (4xx) or a 429 never opens it; the sync treats an open breaker as "nothing sent"', async () => {
    const sim = await startHubspotSimulator({ accessToken: 'hs-token', logger: false });
    const breaker = new DependencyBreakers(settings).hubspot;
    const crm = new HubspotCrmClient({
      accessToken: 'wrong-token',
      baseUrl: sim.url,
      requestTimeoutMs: 2_000,
      breaker,
    });
    closers.push(
      () => crm.close(),
      () => sim.close(),
    );
    for (let i = 0; i < settings.failures + 2; i++)
      await expect(crm.propertyNames('contacts')).rejects.toBeDefined();
    expect(breaker.state).toBe('closed');
    const refusal = new DomainError('DEPENDENCY_UNAVAILABLE', 'HubSpot is failing (circuit breaker open)');
    expect(classifyFailure(refusal, 0)).toMatchObject({
      kind: 'unavailable',
      ambiguous: false,
      counts: false,
    });
  });

  it('Stripe (server errors): opens, fails fast, half-opens, closes', async () => {
    const sim = await startStripeSimulator({ logger: false });
    const breaker = new DependencyBreakers(settings).stripe;
    const stripe = createStripeClient(
      {
        stripeSecretKey: sim.apiKey,
        webhookSecret: undefined,
        api: sim.sdkConfig,
        maxNetworkRetries: 0,
        timeoutMs: 2_000,
      },
      breaker,
    )!;
    closers.push(() => sim.close());
    await opensFailsFastAndCloses({
      breaker,
      call: () => stripe.customers.create({ email: 'breaker@example.com' }),
      seen: () => sim.control.requests({ path: /^\/v1\// }).length,
      fail: () => sim.control.fault({ kind: 'server_error', status: 500, count: 1_000 }),
      heal: () => sim.control.clearFaults(),
    });
  });

  it('Twilio (503s): opens, fails fast, half-opens, closes', async () => {
    const sim = await startTwilioSimulator({ logger: false });
    const breaker = new DependencyBreakers(settings).twilio;
    const client = twilioClient(
      {
        accountSid: sim.accountSid,
        authToken: sim.authToken,
        from: DEFAULT_FROM,
        messagingServiceSid: undefined,
        apiBaseUrl: sim.url,
        timeoutMs: 2_000,
      },
      breaker,
    );
    closers.push(() => sim.close());
    await opensFailsFastAndCloses({
      breaker,
      call: () => client.messages.create({ to: '+14165550199', from: DEFAULT_FROM, body: 'breaker test' }),
      seen: () => sim.control.requests({ method: 'POST' }).length,
      fail: () => sim.control.faults.fail(503, { count: 1_000 }),
      heal: () => sim.control.faults.reset(),
    });
  });
});
