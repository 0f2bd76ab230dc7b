import { ConfigError } from '../config.js';

/**
 * Settings of doors and bays (UniFi Access, NinjaOne, session automation), read from the same
 * environment as `config.ts` and validated the same way: a bad value names its variable. Kept apart
 * so `config.ts` stays the sync helper's; the lead may fold `loadFacilityControlConfig` into it.
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

type Env = Record<string, string | undefined>;

const text = (env: Env, name: string): string => (env[name] ?? '').trim();

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max)
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function httpUrl(env: Env, name: string): string {
  const raw = text(env, name);
  if (raw === '') return '';
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error();
  } catch {
    throw new ConfigError(name, `must be an http(s) URL, got "${raw}"`);
  }
  return raw.replace(/\/+$/, '');
}

export function loadFacilityControlConfig(env: Env): FacilityControlConfig {
  const unifiUrl = httpUrl(env, 'UNIFI_URL');
  const unifiToken = text(env, 'UNIFI_TOKEN');
  if (unifiUrl !== '' && unifiToken === '')
    throw new ConfigError('UNIFI_TOKEN', 'is required when UNIFI_URL is set');
  const ninjaUrl = httpUrl(env, 'NINJAONE_URL');
  const clientId = text(env, 'NINJAONE_CLIENT_ID');
  const clientSecret = text(env, 'NINJAONE_CLIENT_SECRET');
  if (ninjaUrl !== '' && (clientId === '' || clientSecret === '')) {
    throw new ConfigError(
      clientId === '' ? 'NINJAONE_CLIENT_ID' : 'NINJAONE_CLIENT_SECRET',
      'is required when NINJAONE_URL is set',
    );
  }
  const refreshToken = text(env, 'NINJAONE_REFRESH_TOKEN');
  const webhookUrl = httpUrl(env, 'UNIFI_WEBHOOK_URL');
  if (webhookUrl !== '' && unifiUrl === '')
    throw new ConfigError('UNIFI_WEBHOOK_URL', 'needs UNIFI_URL (the controller that would call it)');
  return {
    unifi:
      unifiUrl === ''
        ? null
        : { baseUrl: unifiUrl, token: unifiToken, caFile: text(env, 'UNIFI_CA_FILE') || null },
    unifiWebhookUrl: webhookUrl || null,
    ninjaone:
      ninjaUrl === ''
        ? null
        : { baseUrl: ninjaUrl, clientId, clientSecret, refreshToken: refreshToken || null },
    sessionTickSeconds: int(env, 'SESSION_TICK_SECONDS', 15, 15, 30),
    prepareLeadMinutes: int(env, 'SESSION_PREPARE_MINUTES', 10, 0, 120),
    warnLeadMinutes: int(env, 'SESSION_WARN_MINUTES', 5, 0, 60),
    noShowGraceMinutes: int(env, 'NO_SHOW_GRACE_MINUTES', 15, 1, 240),
    provisioningHorizonHours: int(env, 'UNIFI_PROVISION_HOURS', 48, 1, 24 * 30),
    healthCheckSeconds: int(env, 'NINJAONE_HEALTH_SECONDS', 300, 10, 3600),
    doorEventPollSeconds: int(env, 'UNIFI_EVENT_POLL_SECONDS', 15, 2, 600),
  };
}
