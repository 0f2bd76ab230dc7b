import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The cloud's configuration: every environment variable is read here and nowhere else
 * (DESIGN.md decision 10). `loadConfig` validates once and names the bad variable.
 */
export interface CloudConfig {
  /** PostgreSQL URL; absent → embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  /** Folder for PGlite and generated secrets; `undefined` in tests means in-memory PGlite. */
  dataDir: string | undefined;
  port: number;
  host: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
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

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`Invalid configuration: ${variable} ${reason}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be an integer, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max)
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${env[name]}"`);
}

/**
 * A secret from the environment, or else one generated on first start and kept in the data
 * folder so a restart keeps sessions and door credentials valid (zero set-up). Without a data
 * folder (tests) it lives only in memory.
 */
function secret(env: Env, name: string, dataDir: string | undefined, generate: () => string): string {
  const fromEnv = env[name];
  if (fromEnv) return fromEnv;
  if (!dataDir) return generate();
  const file = path.join(dataDir, 'secrets', name.toLowerCase());
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
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
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();

  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'must start with postgres:// or postgresql://');
  }
  const dataDir = path.resolve(cwd, env.CLOUD_DATA_DIR || '.data/cloud');
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw new ConfigError('CLOUD_DATA_DIR', `cannot be created (${(error as Error).message})`);
  }

  const logLevel = (env.LOG_LEVEL || 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  }

  const jwtSecret = secret(env, 'JWT_SECRET', dataDir, () => randomBytes(48).toString('base64url'));
  if (jwtSecret.length < 32) throw new ConfigError('JWT_SECRET', 'must be at least 32 characters');
  const accessSigningKey = secret(env, 'ACCESS_SIGNING_KEY', dataDir, () => randomBytes(32).toString('hex'));
  if (!/^[0-9a-fA-F]{64}$/.test(accessSigningKey)) {
    throw new ConfigError(
      'ACCESS_SIGNING_KEY',
      'must be a 32-byte Ed25519 private key in hex (64 characters)',
    );
  }

  const adminEmail = (env.ADMIN_EMAIL || 'admin@clubos.local').toLowerCase();
  if (!/^[^@\s]+@[^@\s]+$/.test(adminEmail)) throw new ConfigError('ADMIN_EMAIL', 'must be an email address');
  const adminPassword = env.ADMIN_PASSWORD || undefined;
  if (adminPassword !== undefined && adminPassword.length < 10) {
    throw new ConfigError('ADMIN_PASSWORD', 'must be at least 10 characters');
  }

  return {
    databaseUrl,
    dataDir,
    port: int(env, 'PORT', 3000, 0, 65535),
    host: env.HOST || '127.0.0.1',
    logLevel: logLevel as CloudConfig['logLevel'],
    jwtSecret,
    accessTokenTtlSeconds: int(env, 'ACCESS_TOKEN_TTL_SECONDS', 900, 30, 86_400),
    refreshTokenTtlSeconds: int(env, 'REFRESH_TOKEN_TTL_SECONDS', 30 * 86_400, 60, 365 * 86_400),
    accessSigningKey: accessSigningKey.toLowerCase(),
    holdTtlSeconds: int(env, 'HOLD_TTL_SECONDS', 600, 30, 86_400),
    adminEmail,
    adminPassword,
    rateLimit: {
      enabled: bool(env, 'RATE_LIMIT_ENABLED', true),
      loginPerMinute: int(env, 'RATE_LIMIT_LOGIN_PER_MINUTE', 10, 1, 1_000_000),
      bookingsPerMinute: int(env, 'RATE_LIMIT_BOOKINGS_PER_MINUTE', 60, 1, 1_000_000),
    },
    docs: bool(env, 'API_DOCS', true),
    hubspot: hubspotConfig(env),
    changeLog: {
      retentionHours: int(env, 'CHANGE_LOG_RETENTION_HOURS', 7 * 24, 1, 366 * 24),
      compactionIntervalMs: int(env, 'CHANGE_LOG_COMPACTION_INTERVAL_MS', 3_600_000, 0, 86_400_000),
    },
  };
}

function hubspotConfig(env: Env): HubspotConfig {
  const baseUrl = (env.HUBSPOT_BASE_URL || 'https://api.hubapi.com').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/\s]+/.test(baseUrl)) {
    throw new ConfigError('HUBSPOT_BASE_URL', `must be an http(s) URL, got "${env.HUBSPOT_BASE_URL}"`);
  }
  return {
    accessToken: env.HUBSPOT_ACCESS_TOKEN || undefined,
    baseUrl,
    dealMinValueCents: int(env, 'HUBSPOT_DEAL_MIN_VALUE_CENTS', 20_000, 0, 1_000_000_000),
    pollIntervalMs: int(env, 'HUBSPOT_SYNC_INTERVAL_MS', 2_000, 50, 3_600_000),
    requestTimeoutMs: int(env, 'HUBSPOT_TIMEOUT_MS', 15_000, 100, 300_000),
    maxFailures: int(env, 'HUBSPOT_MAX_FAILURES', 12, 1, 1_000),
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
    ...overrides,
  };
}

/** PostgreSQL server for the API suites (CI sets it); absent → the suites run on PGlite only. */
export function testDatabaseUrl(env: Env = process.env): string | undefined {
  return env.TEST_DATABASE_URL || undefined;
}
