import { type StripeSimulator, startStripeSimulator } from '@clubos/simulators/stripe/index';
import { expect } from 'vitest';
import type { PaymentsConfig } from '../config.js';
import { stripeEvents } from '../db/schema/payments.schema.js';
import { createOpsWorld, type OpsWorld } from './ops-world.js';
import { createTestApp, type TestApp, type TestDatabaseKind } from './test-app.js';

/** The signing secret the harness registers on the simulator's webhook endpoint. */
export const WEBHOOK_SECRET = 'whsec_clubos_cloud_test';

export interface StripeHarness {
  t: TestApp;
  w: OpsWorld;
  sim: StripeSimulator;
  /** Where the simulator posts the webhooks (the cloud listening on a free port). */
  webhookUrl: string;
  /** Waits until the simulator has nothing in flight and the cloud has applied what it received. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** The Stripe simulator as the suites use it: a free port, webhook retries after milliseconds. */
export function openStripeSimulator(): Promise<StripeSimulator> {
  return startStripeSimulator({
    port: 0,
    webhooks: { retryDelaysMs: [50, 200, 1_000], timeoutMs: 5_000 },
  });
}

/** The cloud's payments configuration that reaches `sim` (the expiry sweep off: suites sweep themselves). */
export function stripePaymentsConfig(
  sim: StripeSimulator,
  overrides: Partial<PaymentsConfig> = {},
): PaymentsConfig {
  return {
    stripeSecretKey: sim.apiKey,
    webhookSecret: WEBHOOK_SECRET,
    api: sim.sdkConfig,
    maxNetworkRetries: 1,
    timeoutMs: 5_000,
    expirySweepMs: 0,
    ...overrides,
  };
}

/**
 * Puts a test cloud on a free port and registers it as the simulator's webhook endpoint.
 * `closeCloud` closes what the cloud came with (a HubSpot harness closes its simulator too).
 */
export async function connectStripe(
  t: TestApp,
  sim: StripeSimulator,
  closeCloud: () => Promise<void> = () => t.close(),
): Promise<StripeHarness> {
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const webhookUrl = `${address}/api/v1/payments/stripe/webhook`;
  sim.control.addWebhookEndpoint({ url: webhookUrl, events: ['*'], secret: WEBHOOK_SECRET });
  const w = await createOpsWorld(t);
  return {
    t,
    w,
    sim,
    webhookUrl,
    settle: async () => {
      await sim.control.flushWebhooks(20_000);
      await t.app.services.stripeWebhooks.idle();
    },
    // The simulator first: its webhook deliveries keep connections to the cloud open, which the
    // cloud's close would otherwise wait out.
    close: async () => {
      await sim.close();
      await closeCloud();
    },
  };
}

/**
 * The real cloud (PGlite, or PostgreSQL) with its Stripe SDK pointed at an in-process Stripe
 * simulator, listening on a free port so the simulator's signed webhooks reach it over HTTP.
 */
export async function startStripeHarness(
  kind: TestDatabaseKind,
  payments: Partial<PaymentsConfig> = {},
): Promise<StripeHarness> {
  const sim = await openStripeSimulator();
  const t = await createTestApp(kind, { payments: stripePaymentsConfig(sim, payments) });
  return connectStripe(t, sim);
}

export interface CheckoutHold {
  id: string;
  price_cents: number;
  simulator_id: string;
  start_time: string;
  duration: number;
}

/** A checkout hold of one hour on `bayId`, `hoursAhead` hours from now, as the customer. */
export async function holdFor(h: StripeHarness, bayId: string, hoursAhead: number): Promise<CheckoutHold> {
  const now = new Date();
  now.setUTCMinutes(0, 0, 0);
  const res = await h.t.request({
    method: 'POST',
    url: '/api/v1/holds',
    token: h.w.tokens.customer,
    payload: {
      simulator_id: bayId,
      start_time: new Date(now.getTime() + hoursAhead * 3_600_000).toISOString(),
      duration: 60,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

/** Every stored Stripe event with whether it was applied or why it waits. */
export async function storedEvents(h: StripeHarness) {
  return h.t.app.db
    .select({
      id: stripeEvents.id,
      type: stripeEvents.type,
      appliedAt: stripeEvents.appliedAt,
      heldReason: stripeEvents.heldReason,
    })
    .from(stripeEvents);
}
