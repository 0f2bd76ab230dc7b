import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import {
  ConfigError,
  type Env,
  EnvBool,
  EnvEnum,
  EnvInt,
  EnvOptional,
  EnvPort,
  EnvText,
  EnvUrl,
  parseEnv,
  parseVariable,
} from '@clubos/shared/config';
import { Type } from '@sinclair/typebox';
import cron from 'node-cron';
import type { Clock } from 'pg-boss';

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

export interface ResilienceConfig {
  /** `SHED_MAX_EVENT_LOOP_DELAY_MS`: mean event-loop delay past which requests get 503 (0 = off). */
  maxEventLoopDelayMs: number;
  /** `SHED_MAX_HEAP_MB`: heap in use past which requests get 503 (0 = off). */
  maxHeapMb: number;
  /** `SHED_MAX_DB_WAITING`: queries queued for a pool connection past which requests get 503 (0 = off). */
  maxDbWaiting: number;
  /** `SHED_RETRY_AFTER_SECONDS`: the Retry-After of a shed request. */
  retryAfterSeconds: number;
  /** `BREAKER_FAILURES`: failed calls (at least half the calls of the last 10 s) that open a breaker. */
  breakerFailures: number;
  /** `BREAKER_OPEN_MS`: how long an open breaker fails calls fast before it lets one through. */
  breakerOpenMs: number;
}

export interface ClusterConfig {
  /** `INSTANCE_ID`: names this instance in logs, /health and pg_stat_activity (default host-pid). */
  instanceId: string;
  /** `LEADER_RETRY_MS`: how often a follower tries the periodic-work lease; bounds a leader's replacement. */
  leaderRetryMs: number;
  /** `DRAIN_MS`: after SIGTERM, how long /health answers 503 (so the balancer stops sending) before closing. */
  drainMs: number;
  /** Live pushes' fallback poll of change-log heads (ms); undefined → each stream's own default. */
  livePollMs?: number;
}

export interface NotificationsConfig {
  /** `SMTP_URL` for nodemailer (smtp://host:port, smtps://user:pass@host:465); undefined → off. */
  smtpUrl: string | undefined;
  /** `MAIL_FROM`, the From of every message. */
  mailFrom: string;
  /** `PUBLIC_URL`: the origin customers reach the cloud at (unsubscribe and accept links). */
  publicUrl: string;
  /** How often the dispatcher turns outbox rows into jobs (and the job queue polls). */
  pollIntervalMs: number;
  /** A failing send is retried this many times with exponential backoff, then shown as failed. */
  retryLimit: number;
  retryDelaySeconds: number;
  /** Tests only: a pg-boss `TestClock` that drives the queue and the reminder times. */
  clock?: Clock;
  /** Customer SMS through Twilio; undefined (no `TWILIO_ACCOUNT_SID`) → SMS off, logged once. */
  sms?: SmsConfig | undefined;
  /** `PHONE_DEFAULT_REGION` (ISO 3166 alpha-2): how a phone without +country is read, unless the facility says. */
  phoneRegion: string;
}

export interface SmsConfig {
  accountSid: string;
  authToken: string;
  /** `TWILIO_FROM` (an E.164 number of the account) or `TWILIO_MESSAGING_SERVICE_SID` (MG…). */
  from: string | undefined;
  messagingServiceSid: string | undefined;
  /** `TWILIO_API_BASE_URL`: the simulator's origin; undefined → api.twilio.com. */
  apiBaseUrl: string | undefined;
  timeoutMs: number;
}

export interface PaymentsConfig {
  /** `STRIPE_SECRET_KEY`; undefined turns online payment off. */
  stripeSecretKey: string | undefined;
  /** `STRIPE_WEBHOOK_SECRET` (whsec_…) that signs the webhooks; undefined → the receiver answers 503. */
  webhookSecret: string | undefined;
  /** The SDK's own host/port/protocol, from `STRIPE_API_URL` (the simulator); undefined → Stripe. */
  api: { host: string; port: number; protocol: 'http' | 'https' } | undefined;
  /** The SDK retries 409, 5xx and lost connections with the same idempotency key this many times. */
  maxNetworkRetries: number;
  timeoutMs: number;
  /** `STRIPE_RECONCILE_CRON`, UTC (default `30 3 * * *`); `off` turns the nightly reconciliation off. */
  reconcileCron?: string;
  /** How often checkout holds past their expiry are swept (ms; default 30 s); 0 turns it off. */
  expirySweepMs?: number;
}

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

export { ConfigError };

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Every variable the cloud reads, with its default and limits (deploy/cloud.env.example says what
 * each means). Parsed once by `loadConfig`; the rules between variables and the secrets kept in the
 * data folder are applied after.
 */
export const CLOUD_ENV = Type.Object({
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
  HUBSPOT_ACCESS_TOKEN: EnvOptional({ secret: true }),
  HUBSPOT_BASE_URL: EnvUrl(),
  HUBSPOT_DEAL_MIN_VALUE_CENTS: EnvInt(20_000, 0, 1_000_000_000),
  HUBSPOT_SYNC_INTERVAL_MS: EnvInt(2_000, 50, 3_600_000),
  HUBSPOT_TIMEOUT_MS: EnvInt(15_000, 100, 300_000),
  HUBSPOT_MAX_FAILURES: EnvInt(12, 1, 1_000),
  CHANGE_LOG_RETENTION_HOURS: EnvInt(7 * 24, 1, 366 * 24),
  CHANGE_LOG_COMPACTION_INTERVAL_MS: EnvInt(3_600_000, 0, 86_400_000),
  STRIPE_SECRET_KEY: EnvOptional({
    pattern: '^(sk|rk)_(test|live)_[A-Za-z0-9_]+$',
    description: 'a Stripe secret key (sk_test_… or sk_live_…)',
    secret: true,
  }),
  STRIPE_WEBHOOK_SECRET: EnvOptional({
    pattern: '^whsec_[A-Za-z0-9_+/=]+$',
    description: 'a Stripe webhook signing secret (whsec_…)',
    secret: true,
  }),
  STRIPE_API_URL: EnvUrl(),
  STRIPE_MAX_NETWORK_RETRIES: EnvInt(2, 0, 10),
  STRIPE_TIMEOUT_MS: EnvInt(10_000, 100, 120_000),
  STRIPE_RECONCILE_CRON: EnvText('30 3 * * *'),
  SMTP_URL: EnvOptional({
    pattern: '^smtps?://',
    description: 'a URL starting with smtp:// or smtps://',
    secret: true,
  }),
  MAIL_FROM: EnvText('ClubOS Booking <no-reply@clubos.local>'),
  PUBLIC_URL: EnvUrl(),
  NOTIFY_POLL_INTERVAL_MS: EnvInt(1_000, 50, 60_000),
  NOTIFY_RETRY_LIMIT: EnvInt(8, 0, 100),
  NOTIFY_RETRY_DELAY_SECONDS: EnvInt(5, 1, 3_600),
  INSTANCE_ID: EnvOptional({
    pattern: '^[A-Za-z0-9._-]{1,40}$',
    description: 'letters, digits, . _ - (≤ 40)',
  }),
  LEADER_RETRY_MS: EnvInt(2_000, 100, 60_000),
  DRAIN_MS: EnvInt(5_000, 0, 120_000),
  SHED_MAX_EVENT_LOOP_DELAY_MS: EnvInt(100, 0, 60_000),
  SHED_MAX_HEAP_MB: EnvInt(0, 0, 1_000_000),
  SHED_MAX_DB_WAITING: EnvInt(200, 0, 1_000_000),
  SHED_RETRY_AFTER_SECONDS: EnvInt(2, 1, 3_600),
  BREAKER_FAILURES: EnvInt(5, 1, 1_000),
  BREAKER_OPEN_MS: EnvInt(30_000, 100, 3_600_000),
  TWILIO_ACCOUNT_SID: EnvOptional({
    pattern: '^AC[0-9a-fA-F]{32}$',
    description: 'a Twilio Account SID (AC + 32 hex)',
  }),
  TWILIO_AUTH_TOKEN: EnvOptional({ minLength: 8, secret: true }),
  TWILIO_FROM: EnvOptional({
    pattern: '^\\+[1-9][0-9]{6,14}$',
    description: 'an E.164 number such as +15005550006',
  }),
  TWILIO_MESSAGING_SERVICE_SID: EnvOptional({
    pattern: '^MG[0-9a-fA-F]{32}$',
    description: 'a Messaging Service SID (MG…)',
  }),
  TWILIO_API_BASE_URL: EnvUrl(),
  TWILIO_TIMEOUT_MS: EnvInt(10_000, 100, 120_000),
  PHONE_DEFAULT_REGION: EnvOptional({
    pattern: '^[A-Z]{2}$',
    description: 'an ISO 3166 country code such as CA',
  }),
});

/** `STRIPE_API_URL` as the Stripe SDK's `host`, `port` and `protocol` options. */
export function stripeApiOptions(url: string | undefined): PaymentsConfig['api'] {
  if (url === undefined) return undefined;
  const parsed = new URL(url);
  const protocol = parsed.protocol === 'http:' ? 'http' : 'https';
  if (parsed.pathname !== '/' || parsed.search !== '') {
    throw new ConfigError(
      'STRIPE_API_URL',
      `must be a bare origin such as http://127.0.0.1:12111, got "${url}"`,
    );
  }
  const port = parsed.port === '' ? (protocol === 'http' ? 80 : 443) : Number(parsed.port);
  return { host: parsed.hostname, port, protocol };
}

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
    hubspot: {
      accessToken: env.HUBSPOT_ACCESS_TOKEN,
      baseUrl: (env.HUBSPOT_BASE_URL ?? 'https://api.hubapi.com').replace(/\/+$/, ''),
      dealMinValueCents: env.HUBSPOT_DEAL_MIN_VALUE_CENTS,
      pollIntervalMs: env.HUBSPOT_SYNC_INTERVAL_MS,
      requestTimeoutMs: env.HUBSPOT_TIMEOUT_MS,
      maxFailures: env.HUBSPOT_MAX_FAILURES,
    },
    changeLog: {
      retentionHours: env.CHANGE_LOG_RETENTION_HOURS,
      compactionIntervalMs: env.CHANGE_LOG_COMPACTION_INTERVAL_MS,
    },
    payments: {
      stripeSecretKey: env.STRIPE_SECRET_KEY,
      webhookSecret: env.STRIPE_WEBHOOK_SECRET,
      api: stripeApiOptions(env.STRIPE_API_URL),
      maxNetworkRetries: env.STRIPE_MAX_NETWORK_RETRIES,
      timeoutMs: env.STRIPE_TIMEOUT_MS,
      reconcileCron: reconcileCron(env.STRIPE_RECONCILE_CRON),
    },
    notifications: {
      smtpUrl: env.SMTP_URL,
      mailFrom: env.MAIL_FROM,
      publicUrl: (env.PUBLIC_URL ?? `http://${env.HOST}:${env.PORT}`).replace(/\/+$/, ''),
      pollIntervalMs: env.NOTIFY_POLL_INTERVAL_MS,
      retryLimit: env.NOTIFY_RETRY_LIMIT,
      retryDelaySeconds: env.NOTIFY_RETRY_DELAY_SECONDS,
      sms: smsConfig(env),
      phoneRegion: env.PHONE_DEFAULT_REGION ?? 'US',
    },
    cluster: {
      instanceId: env.INSTANCE_ID ?? `${hostname()}-${process.pid}`,
      leaderRetryMs: env.LEADER_RETRY_MS,
      drainMs: env.DRAIN_MS,
    },
    resilience: {
      maxEventLoopDelayMs: env.SHED_MAX_EVENT_LOOP_DELAY_MS,
      maxHeapMb: env.SHED_MAX_HEAP_MB,
      maxDbWaiting: env.SHED_MAX_DB_WAITING,
      retryAfterSeconds: env.SHED_RETRY_AFTER_SECONDS,
      breakerFailures: env.BREAKER_FAILURES,
      breakerOpenMs: env.BREAKER_OPEN_MS,
    },
  };
}

/** Twilio settings: all of SID, token and a sender, or none (SMS off). */
function smsConfig(env: {
  TWILIO_ACCOUNT_SID?: string | undefined;
  TWILIO_AUTH_TOKEN?: string | undefined;
  TWILIO_FROM?: string | undefined;
  TWILIO_MESSAGING_SERVICE_SID?: string | undefined;
  TWILIO_API_BASE_URL?: string | undefined;
  TWILIO_TIMEOUT_MS: number;
}): SmsConfig | undefined {
  if (!env.TWILIO_ACCOUNT_SID) return undefined;
  if (!env.TWILIO_AUTH_TOKEN)
    throw new ConfigError('TWILIO_AUTH_TOKEN', 'is required with TWILIO_ACCOUNT_SID');
  if (!env.TWILIO_FROM && !env.TWILIO_MESSAGING_SERVICE_SID) {
    throw new ConfigError(
      'TWILIO_FROM',
      'or TWILIO_MESSAGING_SERVICE_SID is required with TWILIO_ACCOUNT_SID',
    );
  }
  return {
    accountSid: env.TWILIO_ACCOUNT_SID,
    authToken: env.TWILIO_AUTH_TOKEN,
    from: env.TWILIO_FROM,
    messagingServiceSid: env.TWILIO_MESSAGING_SERVICE_SID,
    apiBaseUrl: env.TWILIO_API_BASE_URL?.replace(/\/+$/, ''),
    timeoutMs: env.TWILIO_TIMEOUT_MS,
  };
}

/** A cron expression node-cron accepts (5 or 6 fields, UTC), or `off`. */
export function reconcileCron(value: string): string {
  if (value !== 'off' && !cron.validate(value)) {
    throw new ConfigError(
      'STRIPE_RECONCILE_CRON',
      `must be a cron expression such as "30 3 * * *" or off, got "${value}"`,
    );
  }
  return value;
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
