import { EnvInt, EnvOptional, EnvUrl } from '@clubos/shared/config';
import type { Static, TObject } from '@sinclair/typebox';

/** HubSpot CRM sync (src/hubspot/). */
export const HUBSPOT_ENV = {
  HUBSPOT_ACCESS_TOKEN: EnvOptional({ secret: true }),
  HUBSPOT_BASE_URL: EnvUrl(),
  HUBSPOT_DEAL_MIN_VALUE_CENTS: EnvInt(20_000, 0, 1_000_000_000),
  HUBSPOT_SYNC_INTERVAL_MS: EnvInt(2_000, 50, 3_600_000),
  HUBSPOT_TIMEOUT_MS: EnvInt(15_000, 100, 300_000),
  HUBSPOT_MAX_FAILURES: EnvInt(12, 1, 1_000),
};

export interface HubspotConfig {
  /** Private-app token (`HUBSPOT_ACCESS_TOKEN`); undefined disables the sync. */
  accessToken: string | undefined;
  /** API base URL without a trailing slash (the SDK's `basePath`); the simulator's URL in the demo. */
  baseUrl: string;
  /** A booking (a group booking: all its bays together) worth at least this gets a HubSpot deal. */
  dealMinValueCents: number;
  /** How often the worker looks for due work. */
  pollIntervalMs: number;
  /** A HubSpot call that has not answered by then is abandoned (and treated as ambiguous). */
  requestTimeoutMs: number;
  /** Counted failures after which an item stops retrying and waits for a manual retry. */
  maxFailures: number;
}

export function hubspotConfig(env: Static<TObject<typeof HUBSPOT_ENV>>): HubspotConfig {
  return {
    accessToken: env.HUBSPOT_ACCESS_TOKEN,
    baseUrl: (env.HUBSPOT_BASE_URL ?? 'https://api.hubapi.com').replace(/\/+$/, ''),
    dealMinValueCents: env.HUBSPOT_DEAL_MIN_VALUE_CENTS,
    pollIntervalMs: env.HUBSPOT_SYNC_INTERVAL_MS,
    requestTimeoutMs: env.HUBSPOT_TIMEOUT_MS,
    maxFailures: env.HUBSPOT_MAX_FAILURES,
  };
}
