import Fastify, { type FastifyInstance } from 'fastify';
import { type EdgeAppOptions, edgeApp } from '../app.js';
import { type EdgeConfig, loadConfig } from '../config.js';

/** The LAN staff login every test edge starts with. */
const TEST_STAFF = { username: 'manager', password: 'correct horse' } as const;

/**
 * An edge configuration for tests: data in `dataDir`, quiet logs, the test staff login and sync
 * timers short enough that a reconnect takes milliseconds. `env` adds or overrides variables,
 * exactly as the environment would (so a test reads like the deployment it stands for).
 */
function testEdgeConfig(dataDir: string, env: Record<string, string> = {}): EdgeConfig {
  return loadConfig({
    EDGE_DATA_DIR: dataDir,
    EDGE_STAFF_USERNAME: TEST_STAFF.username,
    EDGE_STAFF_PASSWORD: TEST_STAFF.password,
    SYNC_LONG_POLL_MS: '200',
    SYNC_BACKOFF_BASE_MS: '20',
    SYNC_BACKOFF_MAX_MS: '200',
    LOG_LEVEL: 'silent',
    ...env,
  });
}

/**
 * Sync settings for the outage suites: small batches, so a backlog crosses several requests, and
 * short timeouts, so a cut line is noticed within a second or two.
 */
export const OUTAGE_SYNC_ENV = {
  SYNC_LONG_POLL_MS: '300',
  SYNC_BACKOFF_MAX_MS: '300',
  SYNC_UPLOAD_BATCH: '25',
  SYNC_PULL_LIMIT: '50',
} as const;

/** The whole edge app (sync, LAN API, broker on a free port) on `testEdgeConfig`, ready. */
export async function buildTestEdge(
  dataDir: string,
  env: Record<string, string>,
  options: Omit<EdgeAppOptions, 'config'> = {},
): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(edgeApp, {
    ...options,
    config: testEdgeConfig(dataDir, env),
    facilityControl: { mqttPort: 0, ...options.facilityControl },
  });
  await app.ready();
  return app;
}

/** Signs in as the test staff login and registers a kiosk; returns its `Authorization` value. */
export async function registerKiosk(app: FastifyInstance, name = 'Lobby kiosk'): Promise<string> {
  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: TEST_STAFF });
  const created = await app.inject({
    method: 'POST',
    url: '/api/v1/kiosks',
    headers: { authorization: `Bearer ${login.json().token}` },
    payload: { name },
  });
  return `Device ${created.json().key}`;
}
