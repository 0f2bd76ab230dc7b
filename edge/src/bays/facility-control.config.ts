import type { Env } from '@clubos/shared/config';
import { baseUrl, ConfigError, type EdgeEnv, parseEdgeEnv } from '../config.js';

/**
 * Settings of doors and bays (UniFi Access, NinjaOne, session automation), from the edge's one
 * environment schema (config.ts, EDGE_ENV), which validates each variable; the rules between
 * them are here.
 */
export interface FacilityControlConfig {
  /** UniFi Access developer API; null: doors are decided and logged, but nothing is unlocked or provisioned. */
  unifi: { baseUrl: string; token: string; caFile: string | null } | null;
  /**
   * Where UniFi Access should POST door events (this edge's `/api/v1/unifi/webhooks`, as the
   * controller reaches it). Null or absent: door events are only polled.
   */
  unifiWebhookUrl?: string | null;
  /** NinjaOne; null: no PREP/CLEANUP scripts and no health checks. */
  ninjaone: { baseUrl: string; clientId: string; clientSecret: string; refreshToken: string | null } | null;
  /** Session automation tick, seconds (15–30 per the design). */
  sessionTickSeconds: number;
  prepareLeadMinutes: number;
  warnLeadMinutes: number;
  noShowGraceMinutes: number;
  /** How far ahead bookings become UniFi visitors. */
  provisioningHorizonHours: number;
  /** NinjaOne device health check and UniFi door-event poll period, seconds. */
  healthCheckSeconds: number;
  doorEventPollSeconds: number;
}

/** The doors' and bays' settings from the edge's parsed environment (config.ts, EDGE_ENV). */
export function facilityControlConfig(env: EdgeEnv): FacilityControlConfig {
  const unifiUrl = baseUrl(env.UNIFI_URL);
  const unifiToken = env.UNIFI_TOKEN ?? '';
  if (unifiUrl !== '' && unifiToken === '')
    throw new ConfigError('UNIFI_TOKEN', 'is required when UNIFI_URL is set');
  const ninjaUrl = baseUrl(env.NINJAONE_URL);
  const clientId = env.NINJAONE_CLIENT_ID ?? '';
  const clientSecret = env.NINJAONE_CLIENT_SECRET ?? '';
  if (ninjaUrl !== '' && (clientId === '' || clientSecret === '')) {
    throw new ConfigError(
      clientId === '' ? 'NINJAONE_CLIENT_ID' : 'NINJAONE_CLIENT_SECRET',
      'is required when NINJAONE_URL is set',
    );
  }
  const webhookUrl = env.UNIFI_WEBHOOK_URL ?? '';
  if (webhookUrl !== '' && unifiUrl === '')
    throw new ConfigError('UNIFI_WEBHOOK_URL', 'needs UNIFI_URL (the controller that would call it)');
  return {
    unifi:
      unifiUrl === '' ? null : { baseUrl: unifiUrl, token: unifiToken, caFile: env.UNIFI_CA_FILE ?? null },
    unifiWebhookUrl: baseUrl(webhookUrl) || null,
    ninjaone:
      ninjaUrl === ''
        ? null
        : { baseUrl: ninjaUrl, clientId, clientSecret, refreshToken: env.NINJAONE_REFRESH_TOKEN ?? null },
    sessionTickSeconds: env.SESSION_TICK_SECONDS,
    prepareLeadMinutes: env.SESSION_PREPARE_MINUTES,
    warnLeadMinutes: env.SESSION_WARN_MINUTES,
    noShowGraceMinutes: env.NO_SHOW_GRACE_MINUTES,
    provisioningHorizonHours: env.UNIFI_PROVISION_HOURS,
    healthCheckSeconds: env.NINJAONE_HEALTH_SECONDS,
    doorEventPollSeconds: env.UNIFI_EVENT_POLL_SECONDS,
  };
}

/** `facilityControlConfig(parseEdgeEnv(env))`: for callers that need only these settings. */
export function loadFacilityControlConfig(env: Env): FacilityControlConfig {
  return facilityControlConfig(parseEdgeEnv(env));
}
