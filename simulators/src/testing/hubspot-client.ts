import { Client } from '@hubspot/api-client';
import { afterEach, beforeEach } from 'vitest';
import {
  type HubspotSimulator,
  type HubspotSimulatorOptions,
  startHubspotSimulator,
} from '../hubspot/hubspot.simulator.js';

/** Shared by the simulator's tests: a simulator on a free port and the official SDK pointed at it. */
export const TOKEN = 'pat-na1-test-token';

export async function startWithClient(
  options: Partial<HubspotSimulatorOptions> = {},
): Promise<{ sim: HubspotSimulator; client: Client }> {
  const sim = await startHubspotSimulator({ accessToken: TOKEN, port: 0, searchLagMs: 0, ...options });
  const client = new Client({ accessToken: TOKEN, basePath: sim.url, numberOfApiCallRetries: 0 });
  return { sim, client };
}

/** What useHubspot hands a suite: a fresh simulator and SDK client for each test. */
export interface HubspotSuite {
  sim: HubspotSimulator;
  client: Client;
  /** The simulator's clock (epoch ms) when the suite asked for a hand-driven one with `startAt`. */
  now: number;
}

/**
 * Starts a simulator and SDK client before each test of the calling file and closes it after; with
 * `startAt` the simulator reads `suite.now`, which the test moves by hand.
 */
export function useHubspot(
  options: Partial<HubspotSimulatorOptions> & { startAt?: string } = {},
): HubspotSuite {
  const { startAt, ...simulator } = options;
  const suite = { now: 0 } as HubspotSuite;
  beforeEach(async () => {
    if (startAt !== undefined) {
      suite.now = Date.parse(startAt);
      simulator.clock = () => suite.now;
    }
    Object.assign(suite, await startWithClient(simulator));
  });
  afterEach(async () => {
    await suite.sim.close();
  });
  return suite;
}

export interface SdkFailure {
  code: number;
  body: Record<string, unknown> & { category?: string; message?: string; policyName?: string };
  headers: Record<string, string>;
}

/** Awaits a call that must fail with the SDK's ApiException and returns its code, body and headers. */
export async function sdkFailure(call: Promise<unknown>): Promise<SdkFailure> {
  try {
    await call;
  } catch (error) {
    const e = error as Partial<SdkFailure>;
    if (typeof e.code !== 'number') throw error;
    return { code: e.code, body: (e.body ?? {}) as SdkFailure['body'], headers: e.headers ?? {} };
  }
  throw new Error('expected the SDK call to fail');
}

export const emailFilter = (email: string) => ({
  filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ' as never, value: email }] }],
  properties: ['email', 'firstname'],
  limit: 10,
});
