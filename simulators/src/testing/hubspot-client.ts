import { Client } from '@hubspot/api-client';
import {
  type HubspotSimulator,
  type HubspotSimulatorOptions,
  startHubspotSimulator,
} from '../hubspot/hubspot.simulator.js';
import { type SimulatorSuite, useSimulator } from './use-simulator.js';

/** Shared by the simulator's tests: a simulator on a free port and the official SDK pointed at it. */
export const TOKEN = 'pat-na1-test-token';

export async function startWithClient(
  options: Partial<HubspotSimulatorOptions> = {},
): Promise<{ sim: HubspotSimulator; client: Client }> {
  const sim = await startHubspotSimulator({ accessToken: TOKEN, port: 0, searchLagMs: 0, ...options });
  const client = new Client({ accessToken: TOKEN, basePath: sim.url, numberOfApiCallRetries: 0 });
  return { sim, client };
}

/** Each test of the calling file gets a fresh simulator and SDK client (see useSimulator). */
export function useHubspot(
  options: Partial<HubspotSimulatorOptions> & { startAt?: string } = {},
): SimulatorSuite<Awaited<ReturnType<typeof startWithClient>>> {
  const { startAt, ...simulator } = options;
  return useSimulator((clock) => startWithClient(clock ? { ...simulator, clock } : simulator), startAt);
}

/** Creates a contact with `properties` and no associations, as the cloud's sync does. */
export const createContact = (client: Client, properties: Record<string, string>) =>
  client.crm.contacts.basicApi.create({ properties, associations: [] });

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
