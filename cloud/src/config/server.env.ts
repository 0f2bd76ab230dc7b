import { EnvBool, EnvEnum, EnvInt, EnvOptional, EnvPort, EnvText } from '@clubos/shared/config';
import type { Static, TObject } from '@sinclair/typebox';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Database, HTTP server, sign-in tokens, the bootstrap admin, rate limits and the docs page. */
export const SERVER_ENV = {
  DATABASE_URL: EnvOptional({
    pattern: '^postgres(ql)?://',
    description: 'a URL starting with postgres:// or postgresql://',
  }),
  CLOUD_DATA_DIR: EnvText('.data/cloud'),
  PORT: EnvPort(3000),
  HOST: EnvText('127.0.0.1'),
  LOG_LEVEL: EnvEnum(LOG_LEVELS, 'info'),
  JWT_SECRET: EnvOptional({ minLength: 32, secret: true }),
  ACCESS_TOKEN_TTL_SECONDS: EnvInt(900, 30, 86_400),
  REFRESH_TOKEN_TTL_SECONDS: EnvInt(30 * 86_400, 60, 365 * 86_400),
  ACCESS_SIGNING_KEY: EnvOptional({
    pattern: '^[0-9a-fA-F]{64}$',
    description: 'a 32-byte Ed25519 private key in hex (64 characters)',
    secret: true,
  }),
  HOLD_TTL_SECONDS: EnvInt(600, 30, 86_400),
  ADMIN_EMAIL: EnvOptional({ pattern: '^[^@\\s]+@[^@\\s]+$', description: 'an email address' }),
  ADMIN_PASSWORD: EnvOptional({ minLength: 10, secret: true }),
  RATE_LIMIT_ENABLED: EnvBool(true),
  RATE_LIMIT_LOGIN_PER_MINUTE: EnvInt(10, 1, 1_000_000),
  RATE_LIMIT_BOOKINGS_PER_MINUTE: EnvInt(60, 1, 1_000_000),
  API_DOCS: EnvBool(true),
};

/** Compaction of the edge change log (src/edge-feed/change-log.compaction.ts). */
export const CHANGE_LOG_ENV = {
  CHANGE_LOG_RETENTION_HOURS: EnvInt(7 * 24, 1, 366 * 24),
  CHANGE_LOG_COMPACTION_INTERVAL_MS: EnvInt(3_600_000, 0, 86_400_000),
};

export interface ChangeLogConfig {
  /**
   * Entries older than this are compacted away; an edge whose cursor is behind what remains is
   * told `snapshot_required` and re-bootstraps. Longer than the longest outage an edge should ride
   * out on the feed alone.
   */
  retentionHours: number;
  /** How often the compaction runs; 0 turns it off. */
  compactionIntervalMs: number;
}

export function changeLogConfig(env: Static<TObject<typeof CHANGE_LOG_ENV>>): ChangeLogConfig {
  return {
    retentionHours: env.CHANGE_LOG_RETENTION_HOURS,
    compactionIntervalMs: env.CHANGE_LOG_COMPACTION_INTERVAL_MS,
  };
}
