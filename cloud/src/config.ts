import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, type Env, parseEnv, parseVariable } from '@clubos/shared/config';
import { Type } from '@sinclair/typebox';
import { CLUSTER_ENV, type ClusterConfig, clusterConfig } from './config/cluster.env.js';
import { HUBSPOT_ENV, type HubspotConfig, hubspotConfig } from './config/hubspot.env.js';
import {
  NOTIFICATIONS_ENV,
  type NotificationsConfig,
  notificationsConfig,
  SMS_ENV,
} from './config/notifications.env.js';
import { PAYMENTS_ENV, type PaymentsConfig, paymentsConfig } from './config/payments.env.js';
import { RESILIENCE_ENV, type ResilienceConfig, resilienceConfig } from './config/resilience.env.js';
import {
  CHANGE_LOG_ENV,
  type ChangeLogConfig,
  changeLogConfig,
  type LOG_LEVELS,
  SERVER_ENV,
} from './config/server.env.js';

export type { ClusterConfig } from './config/cluster.env.js';
export type { HubspotConfig } from './config/hubspot.env.js';
export type { NotificationsConfig, SmsConfig } from './config/notifications.env.js';
export { type PaymentsConfig, reconcileCron, stripeApiOptions } from './config/payments.env.js';
export type { ResilienceConfig } from './config/resilience.env.js';
export type { ChangeLogConfig } from './config/server.env.js';

/**
 * The cloud's configuration: every environment variable is read here and nowhere else
 * (docs/decisions/014-configuration-validated-once.md). `loadConfig` validates once and names the bad
 * variable.
 */
export interface CloudConfig {
  /** PostgreSQL URL; absent → embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  /** Folder for PGlite and generated secrets; `undefined` in tests means in-memory PGlite. */
  dataDir: string | undefined;
  port: number;
  host: string;
  logLevel: (typeof LOG_LEVELS)[number];
  /** HS256 secret for access tokens (≥ 32 bytes). */
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** Ed25519 private key (32-byte seed, hex) that signs door credentials. */
  accessSigningKey: string;
  /** How long a checkout hold blocks its slot. */
  holdTtlSeconds: number;
  /** Bootstrap admin account created on first start when no admin exists. */
  adminEmail: string;
  adminPassword: string | undefined;
  rateLimit: { loginPerMinute: number; bookingsPerMinute: number; enabled: boolean };
  /** Emit the OpenAPI docs page at /docs. */
  docs: boolean;
  /** HubSpot CRM sync (src/hubspot/); no access token → the sync is off (logged once at start). */
  hubspot: HubspotConfig;
  /** Compaction of the edge change log (src/edge-feed/change-log.compaction.ts). */
  changeLog: ChangeLogConfig;
  /** Stripe (src/payments/); no secret key → every facility pays at the venue, as before payments. */
  payments: PaymentsConfig;
  /** Customer email (src/notifications/); no SMTP_URL → nothing is sent, messages wait in the outbox. */
  notifications: NotificationsConfig;
  /** Several instances on one PostgreSQL (src/cluster/). */
  cluster: ClusterConfig;
  /** Load shedding and circuit breakers (src/cluster/load-shedding.plugin.ts, src/common/circuit-breaker.ts). */
  resilience: ResilienceConfig;
}

export { ConfigError };

/**
 * Every variable the cloud reads, with its default and limits (deploy/cloud.env.example says what
 * each means), grouped by area in src/config/. Parsed once by `loadConfig`; the rules between
 * variables and the secrets kept in the data folder are applied after.
 */
export const CLOUD_ENV = Type.Object({
  ...SERVER_ENV,
  ...HUBSPOT_ENV,
  ...CHANGE_LOG_ENV,
  ...PAYMENTS_ENV,
  ...NOTIFICATIONS_ENV,
  ...CLUSTER_ENV,
  ...RESILIENCE_ENV,
  ...SMS_ENV,
});

/**
 * A secret from the environment, or else one generated on first start and kept in the data
 * folder so a restart keeps sessions and door credentials valid (zero set-up). Without a data
 * folder (tests) it lives only in memory. A kept one is checked like the variable.
 */
function secret(
  name: 'JWT_SECRET' | 'ACCESS_SIGNING_KEY',
  fromEnv: string | undefined,
  dataDir: string | undefined,
  generate: () => string,
): string {
  if (fromEnv) return fromEnv;
  if (!dataDir) return generate();
  const file = path.join(dataDir, 'secrets', name.toLowerCase());
  if (existsSync(file)) {
    const kept = readFileSync(file, 'utf8').trim();
    parseVariable(`${name} (kept in ${file})`, CLOUD_ENV.properties[name], kept);
    return kept;
  }
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const value = generate();
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return value;
}

export interface LoadConfigOptions {
  /** Defaults to the process environment. */
  env?: Env;
  /** Base for a relative CLOUD_DATA_DIR and for the default data folder. */
  cwd?: string;
}

export function loadConfig(options: LoadConfigOptions = {}): CloudConfig {
  const env = parseEnv(CLOUD_ENV, options.env ?? process.env);
  const cwd = options.cwd ?? process.cwd();

  const dataDir = path.resolve(cwd, env.CLOUD_DATA_DIR);
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw new ConfigError('CLOUD_DATA_DIR', `cannot be created (${(error as Error).message})`);
  }
  const jwtSecret = secret('JWT_SECRET', env.JWT_SECRET, dataDir, () =>
    randomBytes(48).toString('base64url'),
  );
  const accessSigningKey = secret('ACCESS_SIGNING_KEY', env.ACCESS_SIGNING_KEY, dataDir, () =>
    randomBytes(32).toString('hex'),
  );

  return {
    databaseUrl: env.DATABASE_URL,
    dataDir,
    port: env.PORT,
    host: env.HOST,
    logLevel: env.LOG_LEVEL,
    jwtSecret,
    accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
    accessSigningKey: accessSigningKey.toLowerCase(),
    holdTtlSeconds: env.HOLD_TTL_SECONDS,
    adminEmail: (env.ADMIN_EMAIL ?? 'admin@clubos.local').toLowerCase(),
    adminPassword: env.ADMIN_PASSWORD,
    rateLimit: {
      enabled: env.RATE_LIMIT_ENABLED,
      loginPerMinute: env.RATE_LIMIT_LOGIN_PER_MINUTE,
      bookingsPerMinute: env.RATE_LIMIT_BOOKINGS_PER_MINUTE,
    },
    docs: env.API_DOCS,
    hubspot: hubspotConfig(env),
    changeLog: changeLogConfig(env),
    payments: paymentsConfig(env),
    notifications: notificationsConfig(env, `http://${env.HOST}:${env.PORT}`),
    cluster: clusterConfig(env),
    resilience: resilienceConfig(env),
  };
}

/** A configuration for tests: in-memory PGlite (unless a URL is given), fresh secrets, quiet. */
export function testConfig(overrides: Partial<CloudConfig> = {}): CloudConfig {
  return {
    databaseUrl: undefined,
    dataDir: undefined,
    port: 0,
    host: '127.0.0.1',
    logLevel: 'silent',
    jwtSecret: randomBytes(48).toString('base64url'),
    accessTokenTtlSeconds: 900,
    refreshTokenTtlSeconds: 86_400,
    accessSigningKey: randomBytes(32).toString('hex'),
    holdTtlSeconds: 600,
    adminEmail: 'admin@clubos.test',
    adminPassword: 'admin-password-123',
    rateLimit: { enabled: false, loginPerMinute: 10, bookingsPerMinute: 60 },
    docs: true,
    hubspot: {
      accessToken: undefined,
      baseUrl: 'http://127.0.0.1:9',
      dealMinValueCents: 20_000,
      pollIntervalMs: 3_600_000,
      requestTimeoutMs: 2_000,
      maxFailures: 12,
    },
    // Off in tests: a suite that wants it runs the compactor itself or sets an interval.
    changeLog: { retentionHours: 7 * 24, compactionIntervalMs: 0 },
    payments: {
      stripeSecretKey: undefined,
      webhookSecret: undefined,
      api: undefined,
      maxNetworkRetries: 0,
      timeoutMs: 5_000,
    },
    notifications: {
      smtpUrl: undefined,
      mailFrom: 'ClubOS Test <no-reply@clubos.test>',
      publicUrl: 'http://127.0.0.1:3000',
      pollIntervalMs: 100,
      retryLimit: 3,
      retryDelaySeconds: 1,
      phoneRegion: 'US',
    },
    cluster: { instanceId: `test-${process.pid}`, leaderRetryMs: 500, drainMs: 0 },
    // Shedding off in tests (a busy CI machine would shed them); the shedding suite turns it on.
    resilience: {
      maxEventLoopDelayMs: 0,
      maxHeapMb: 0,
      maxDbWaiting: 0,
      retryAfterSeconds: 2,
      breakerFailures: 5,
      breakerOpenMs: 30_000,
    },
    ...overrides,
  };
}

/** PostgreSQL server for the API suites (CI sets it); absent → the suites run on PGlite only. */
export function testDatabaseUrl(env: Env = process.env): string | undefined {
  return env.TEST_DATABASE_URL || undefined;
}
