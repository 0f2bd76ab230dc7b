import path from 'node:path';
import { parsePublicKey } from '@clubos/shared/credentials';
import { validate as validateCron } from 'node-cron';

/**
 * The edge's whole configuration, read from the environment once at start-up (DESIGN.md decision 10).
 * Nothing else in `edge/` reads `process.env`; a bad value stops the process with a message that names
 * the variable, before anything is opened.
 */
export interface EdgeConfig {
  /** Folder holding the SQLite file and its backups. */
  dataDir: string;
  /** SQLite file inside `dataDir` (`:memory:` for tests). */
  databaseFile: string;
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
  };
  /** First staff account, created only when the edge has no staff user yet. */
  bootstrapStaff: { username: string; password: string } | null;
  /** Lifetime of a staff session token. */
  staffSessionMs: number;
  /** The cloud's Ed25519 public key for door QR tokens (decision 7); null: QR lookup unavailable. */
  accessTokenPublicKey: Uint8Array | null;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`invalid configuration: ${variable} ${reason}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function str(env: Env, name: string, fallback: string): string {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? fallback : raw.trim();
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(name, `must be an integer, got "${raw}"`);
  const value = Number(raw.trim());
  if (value < min || value > max)
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function url(env: Env, name: string): string {
  const raw = str(env, name, '');
  if (raw === '') return '';
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be an http(s) URL, got "${raw}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError(name, `must use http or https, got "${parsed.protocol}"`);
  }
  return raw.replace(/\/+$/, '');
}

const UUID_LIKE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: Env): EdgeConfig {
  const dataDir = path.resolve(str(env, 'EDGE_DATA_DIR', './data/edge'));
  const cloudUrl = url(env, 'CLOUD_URL');
  const edgeKey = str(env, 'EDGE_KEY', '');
  if (cloudUrl !== '' && edgeKey === '')
    throw new ConfigError('EDGE_KEY', 'is required when CLOUD_URL is set');
  const facilityId = str(env, 'FACILITY_ID', '');
  if (facilityId !== '' && !UUID_LIKE.test(facilityId)) {
    throw new ConfigError('FACILITY_ID', `must be a UUID, got "${facilityId}"`);
  }
  const logLevel = str(env, 'LOG_LEVEL', 'info');
  if (!LOG_LEVELS.includes(logLevel))
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  const staffUser = str(env, 'EDGE_STAFF_USERNAME', '');
  const staffPassword = str(env, 'EDGE_STAFF_PASSWORD', '');
  if ((staffUser === '') !== (staffPassword === '')) {
    throw new ConfigError(
      staffUser === '' ? 'EDGE_STAFF_USERNAME' : 'EDGE_STAFF_PASSWORD',
      'must be set together',
    );
  }
  if (staffPassword !== '' && staffPassword.length < 8) {
    throw new ConfigError('EDGE_STAFF_PASSWORD', 'must be at least 8 characters');
  }
  const backoffBaseMs = int(env, 'SYNC_BACKOFF_BASE_MS', 500, 1, 60_000);
  const backoffMaxMs = int(env, 'SYNC_BACKOFF_MAX_MS', 60_000, 1, 3_600_000);
  if (backoffMaxMs < backoffBaseMs) {
    throw new ConfigError('SYNC_BACKOFF_MAX_MS', `must be at least SYNC_BACKOFF_BASE_MS (${backoffBaseMs})`);
  }
  const backupCron = str(env, 'EDGE_BACKUP_CRON', '30 3 * * *');
  if (!validateCron(backupCron))
    throw new ConfigError('EDGE_BACKUP_CRON', `is not a cron expression: "${backupCron}"`);
  const databaseFile = str(env, 'EDGE_DB_FILE', 'edge.sqlite');
  const keyText = str(env, 'ACCESS_TOKEN_PUBLIC_KEY', '');
  let accessTokenPublicKey: Uint8Array | null = null;
  if (keyText !== '') {
    try {
      accessTokenPublicKey = parsePublicKey(keyText, 'ACCESS_TOKEN_PUBLIC_KEY');
    } catch (error) {
      throw new ConfigError('ACCESS_TOKEN_PUBLIC_KEY', (error as Error).message.replace(/^[A-Z_]+: /, ''));
    }
  }
  return {
    dataDir,
    databaseFile: databaseFile === ':memory:' ? databaseFile : path.resolve(dataDir, databaseFile),
    backupDir: path.resolve(dataDir, str(env, 'EDGE_BACKUP_DIR', 'backups')),
    backupKeep: int(env, 'EDGE_BACKUP_KEEP', 7, 1, 365),
    backupCron,
    cloudUrl,
    edgeKey,
    facilityId,
    host: str(env, 'HOST', '0.0.0.0'),
    port: int(env, 'PORT', 4100, 0, 65_535),
    mqttPort: int(env, 'MQTT_PORT', 1883, 0, 65_535),
    logLevel,
    sync: {
      // Bounds are the sync protocol's: wait_ms ≤ 30 s, ≤ 1000 changes per batch, ≤ 500 events per upload.
      longPollMs: int(env, 'SYNC_LONG_POLL_MS', 25_000, 0, 30_000),
      pullLimit: int(env, 'SYNC_PULL_LIMIT', 1000, 1, 1000),
      uploadBatch: int(env, 'SYNC_UPLOAD_BATCH', 100, 1, 500),
      backoffBaseMs,
      backoffMaxMs,
      requestTimeoutMs: int(env, 'SYNC_REQUEST_TIMEOUT_MS', 10_000, 100, 120_000),
    },
    bootstrapStaff: staffUser === '' ? null : { username: staffUser, password: staffPassword },
    staffSessionMs: int(env, 'EDGE_STAFF_SESSION_HOURS', 12, 1, 24 * 30) * 3_600_000,
    accessTokenPublicKey,
  };
}
