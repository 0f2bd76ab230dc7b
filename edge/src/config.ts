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
} from '@clubos/shared/config';
import { parsePublicKey } from '@clubos/shared/credentials';
import { type Static, Type } from '@sinclair/typebox';
import { validate as validateCron } from 'node-cron';

/**
 * The edge's whole configuration, read from the environment once at start-up
 * (docs/decisions/014-configuration-validated-once.md).
 * Nothing else in `edge/` reads `process.env`; a bad value stops the process with a message that names
 * the variable, before anything is opened.
 */
export interface EdgeConfig {
  /** Folder holding the SQLite file and its backups. */
  dataDir: string;
  /**
   * Local overrides of the facility's payment policy (replicated from the cloud): walk-ins pay on the
   * card reader (`WALK_IN_CARD_PAYMENT`), the offline "to collect" cap. Null: the policy decides.
   */
  walkInPayment: { card: boolean | null; toCollectCapCents: number | null };
  /** SQLite file inside `dataDir` (`:memory:` for tests). */
  databaseFile: string;
  /** `PHONE_DEFAULT_REGION`: how a walk-in's phone without +country is read (default US). */
  phoneRegion?: string;
  backupDir: string;
  /** How many nightly backups to keep. */
  backupKeep: number;
  /** node-cron expression for the nightly backup (facility-independent: the box's own clock). */
  backupCron: string;
  /** Cloud base URL, e.g. https://cloud.example.com (no trailing slash). Empty: sync disabled. */
  cloudUrl: string;
  /** This edge's key, issued by the cloud when an admin registers the edge for a facility. */
  edgeKey: string;
  /** The facility this edge serves; a snapshot for another facility is refused. Empty: taken from the first snapshot. */
  facilityId: string;
  host: string;
  port: number;
  mqttPort: number;
  logLevel: string;
  /** Serve the LAN API's OpenAPI document and docs page at /docs (API_DOCS, like the cloud's). */
  docs: boolean;
  sync: {
    /** Long-poll wait the edge asks the cloud for, in ms. */
    longPollMs: number;
    /** Changes asked for per pull. */
    pullLimit: number;
    /** Outbox events per upload request. */
    uploadBatch: number;
    /** Exponential backoff bounds for failed pulls and uploads. */
    backoffBaseMs: number;
    backoffMaxMs: number;
    /** Per-request timeout for cloud calls (the long-poll adds its own wait on top). */
    requestTimeoutMs: number;
    /** While the cloud gives no answer at all, how often the edge checks whether its line is back. */
    linkProbeMs: number;
  };
  /** First staff account, created only when the edge has no staff user yet. */
  bootstrapStaff: { username: string; password: string } | null;
  /** Lifetime of a staff session token. */
  staffSessionMs: number;
  /**
   * The cloud's Ed25519 public key for door QR tokens (docs/decisions/007-offline-door-credentials.md); null:
   * QR lookup unavailable.
   */
  accessTokenPublicKey: Uint8Array | null;
}

export { ConfigError };

const UUID_LIKE = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Every variable the edge reads (its own and the doors' and bays' of bays/facility-control.config.ts),
 * with its default and limits; deploy/edge.env.example says what each means. `server.ts` parses it
 * once; the rules between variables (a URL needs its key, backoff bounds) are applied after.
 */
export const EDGE_ENV = Type.Object({
  EDGE_DATA_DIR: EnvText('./data/edge'),
  EDGE_DB_FILE: EnvText('edge.sqlite'),
  PHONE_DEFAULT_REGION: EnvText('US'),
  EDGE_BACKUP_DIR: EnvText('backups'),
  EDGE_BACKUP_KEEP: EnvInt(7, 1, 365),
  EDGE_BACKUP_CRON: EnvText('30 3 * * *'),
  HOST: EnvText('0.0.0.0'),
  PORT: EnvPort(4100),
  MQTT_PORT: EnvInt(1883, 0, 65_535),
  LOG_LEVEL: EnvEnum(LOG_LEVELS, 'info'),
  API_DOCS: EnvBool(true),
  CLOUD_URL: EnvUrl(),
  FACILITY_ID: EnvOptional({ pattern: UUID_LIKE, description: 'a UUID' }),
  EDGE_KEY: EnvOptional({ secret: true }),
  ACCESS_TOKEN_PUBLIC_KEY: EnvOptional(),
  // Bounds are the sync protocol's: wait_ms ≤ 30 s, ≤ 1000 changes per batch, ≤ 500 events per upload.
  SYNC_LONG_POLL_MS: EnvInt(25_000, 0, 30_000),
  SYNC_PULL_LIMIT: EnvInt(1000, 1, 1000),
  SYNC_UPLOAD_BATCH: EnvInt(100, 1, 500),
  SYNC_BACKOFF_BASE_MS: EnvInt(500, 1, 60_000),
  SYNC_BACKOFF_MAX_MS: EnvInt(60_000, 1, 3_600_000),
  SYNC_REQUEST_TIMEOUT_MS: EnvInt(10_000, 100, 120_000),
  SYNC_LINK_PROBE_MS: EnvInt(200, 20, 60_000),
  EDGE_STAFF_USERNAME: EnvOptional(),
  EDGE_STAFF_PASSWORD: EnvOptional({ minLength: 8, secret: true }),
  EDGE_STAFF_SESSION_HOURS: EnvInt(12, 1, 24 * 30),
  UNIFI_URL: EnvUrl(),
  UNIFI_TOKEN: EnvOptional({ secret: true }),
  UNIFI_CA_FILE: EnvOptional(),
  UNIFI_PROVISION_HOURS: EnvInt(48, 1, 24 * 30),
  UNIFI_EVENT_POLL_SECONDS: EnvInt(15, 2, 600),
  UNIFI_WEBHOOK_URL: EnvUrl(),
  NINJAONE_URL: EnvUrl(),
  NINJAONE_CLIENT_ID: EnvOptional(),
  NINJAONE_CLIENT_SECRET: EnvOptional({ secret: true }),
  NINJAONE_REFRESH_TOKEN: EnvOptional({ secret: true }),
  NINJAONE_HEALTH_SECONDS: EnvInt(300, 10, 3600),
  SESSION_PREPARE_MINUTES: EnvInt(10, 0, 120),
  SESSION_WARN_MINUTES: EnvInt(5, 0, 60),
  SESSION_TICK_SECONDS: EnvInt(15, 15, 30),
  NO_SHOW_GRACE_MINUTES: EnvInt(15, 1, 240),
  // Unset: the facility's payment policy from the cloud decides (docs/decisions/018-payments.md).
  WALK_IN_CARD_PAYMENT: EnvOptional({ pattern: '^(true|false)$', description: 'true or false' }),
  WALK_IN_TO_COLLECT_CAP_CENTS: EnvOptional({ pattern: '^[0-9]{1,8}$', description: 'whole cents' }),
});

/** The edge's environment, parsed and typed (`parseEdgeEnv`). */
export type EdgeEnv = Static<typeof EDGE_ENV>;

/** Parses every edge variable once; a bad one throws a `ConfigError` naming it, its value and what is allowed. */
export function parseEdgeEnv(env: Env): EdgeEnv {
  return parseEnv(EDGE_ENV, env);
}

/** A base URL without its trailing slashes; '' when unset. */
export const baseUrl = (url: string | undefined): string => (url ?? '').replace(/\/+$/, '');

/** The edge's own settings from its parsed environment (the doors' and bays' are facilityControlConfig's). */
export function edgeConfig(env: EdgeEnv): EdgeConfig {
  const dataDir = path.resolve(env.EDGE_DATA_DIR);
  const cloudUrl = baseUrl(env.CLOUD_URL);
  const edgeKey = env.EDGE_KEY ?? '';
  if (cloudUrl !== '' && edgeKey === '')
    throw new ConfigError('EDGE_KEY', 'is required when CLOUD_URL is set');
  const staffUser = env.EDGE_STAFF_USERNAME ?? '';
  const staffPassword = env.EDGE_STAFF_PASSWORD ?? '';
  if ((staffUser === '') !== (staffPassword === '')) {
    throw new ConfigError(
      staffUser === '' ? 'EDGE_STAFF_USERNAME' : 'EDGE_STAFF_PASSWORD',
      'must be set together',
    );
  }
  if (env.SYNC_BACKOFF_MAX_MS < env.SYNC_BACKOFF_BASE_MS) {
    throw new ConfigError(
      'SYNC_BACKOFF_MAX_MS',
      `must be at least SYNC_BACKOFF_BASE_MS (${env.SYNC_BACKOFF_BASE_MS}), got ${env.SYNC_BACKOFF_MAX_MS}`,
    );
  }
  if (!validateCron(env.EDGE_BACKUP_CRON))
    throw new ConfigError('EDGE_BACKUP_CRON', `must be a cron expression, got "${env.EDGE_BACKUP_CRON}"`);
  let accessTokenPublicKey: Uint8Array | null = null;
  if (env.ACCESS_TOKEN_PUBLIC_KEY !== undefined) {
    try {
      accessTokenPublicKey = parsePublicKey(env.ACCESS_TOKEN_PUBLIC_KEY, 'ACCESS_TOKEN_PUBLIC_KEY');
    } catch (error) {
      throw new ConfigError('ACCESS_TOKEN_PUBLIC_KEY', (error as Error).message.replace(/^[A-Z_]+: /, ''));
    }
  }
  const databaseFile = env.EDGE_DB_FILE;
  return {
    dataDir,
    databaseFile: databaseFile === ':memory:' ? databaseFile : path.resolve(dataDir, databaseFile),
    phoneRegion: env.PHONE_DEFAULT_REGION,
    backupDir: path.resolve(dataDir, env.EDGE_BACKUP_DIR),
    backupKeep: env.EDGE_BACKUP_KEEP,
    backupCron: env.EDGE_BACKUP_CRON,
    cloudUrl,
    edgeKey,
    facilityId: env.FACILITY_ID ?? '',
    host: env.HOST,
    port: env.PORT,
    mqttPort: env.MQTT_PORT,
    logLevel: env.LOG_LEVEL,
    docs: env.API_DOCS,
    sync: {
      longPollMs: env.SYNC_LONG_POLL_MS,
      pullLimit: env.SYNC_PULL_LIMIT,
      uploadBatch: env.SYNC_UPLOAD_BATCH,
      backoffBaseMs: env.SYNC_BACKOFF_BASE_MS,
      backoffMaxMs: env.SYNC_BACKOFF_MAX_MS,
      requestTimeoutMs: env.SYNC_REQUEST_TIMEOUT_MS,
      linkProbeMs: env.SYNC_LINK_PROBE_MS,
    },
    bootstrapStaff: staffUser === '' ? null : { username: staffUser, password: staffPassword },
    staffSessionMs: env.EDGE_STAFF_SESSION_HOURS * 3_600_000,
    accessTokenPublicKey,
    walkInPayment: {
      card: env.WALK_IN_CARD_PAYMENT ? env.WALK_IN_CARD_PAYMENT === 'true' : null,
      toCollectCapCents: env.WALK_IN_TO_COLLECT_CAP_CENTS ? Number(env.WALK_IN_TO_COLLECT_CAP_CENTS) : null,
    },
  };
}

/** `edgeConfig(parseEdgeEnv(env))`: for callers that need only the edge's own settings. */
export function loadConfig(env: Env): EdgeConfig {
  return edgeConfig(parseEdgeEnv(env));
}
