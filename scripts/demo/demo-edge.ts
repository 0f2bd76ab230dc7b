import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  type EdgeServer,
  type EdgeServerOptions,
  loadConfig,
  loadFacilityControlConfig,
  startEdgeServer,
} from '../../edge/src/index.js';
import type { NinjaSimulator, UnifiSimulator } from '../../simulators/src/index.js';
import { type Api, api, cloudLogin } from './demo-http.js';
import type { DemoStateFile } from './demo-state.js';
import { DEMO_LOGINS } from './demo-venue.js';
import type { SeededVenue } from './demo-venue.seed.js';

export const UNIFI_TOKEN = 'unifi-demo-token';

export interface DemoEdgeOptions {
  /** The cloud itself (registration is an admin's set-up step, done before the venue goes live). */
  cloud: Api;
  /** What the edge uses as CLOUD_URL: the cut-able line to the cloud. */
  cloudLinkUrl: string;
  dataDir: string;
  state: DemoStateFile;
  venue: SeededVenue;
  unifi: UnifiSimulator;
  ninja: NinjaSimulator;
  host: string;
  port: number;
  logLevel: string;
  now?: () => number;
  /** Sync timings (the scenario test shortens them). */
  env?: Record<string, string>;
  /** Where the edge's log lines go (default: pino's JSON on stdout). */
  logStream?: EdgeServerOptions['logStream'];
}

export interface DemoEdge {
  server: EdgeServer;
  url: string;
  edgeApi: Api;
  /** `Bearer …` of the console manager. */
  managerAuth: string;
  /** `Device …` of the lobby kiosk. */
  kioskAuth: string;
  kioskKey: string;
  mqttUrl: string;
}

/**
 * Registers the venue's edge with the cloud (once: the key is kept in the demo state), then starts
 * it on SQLite in `<data>/edge` with the UniFi and NinjaOne simulators and its MQTT broker on a
 * free port, and gives it a front-desk console account and a kiosk key.
 */
export async function startDemoEdge(options: DemoEdgeOptions): Promise<DemoEdge> {
  const { cloud, state, venue } = options;
  const edgeDir = join(options.dataDir, 'edge');
  let remembered = state.read();
  if (remembered.edge === undefined || remembered.facilityId !== venue.facilityId) {
    // A new registration: an edge database made under an older one belongs to another key.
    if (existsSync(edgeDir)) rmSync(edgeDir, { recursive: true, force: true });
    const auth = await cloudLogin(cloud, DEMO_LOGINS.admin.email, DEMO_LOGINS.admin.password);
    const edge = await cloud.json<{ id: string; key: string }>('/api/v1/edge/nodes', {
      auth,
      body: { facility_id: venue.facilityId, name: 'Demo venue edge' },
    });
    const config = await cloud.json<{ access_public_key: string }>('/api/v1/edge/config', {
      auth: `Edge ${edge.key}`,
    });
    remembered = state.update((s) => {
      s.facilityId = venue.facilityId;
      s.edge = { id: edge.id, key: edge.key, accessPublicKey: config.access_public_key };
      s.kioskKey = undefined;
      s.devices = {};
    });
  }
  const edgeKeys = remembered.edge!;
  const env: Record<string, string> = {
    EDGE_DATA_DIR: edgeDir,
    CLOUD_URL: options.cloudLinkUrl,
    EDGE_KEY: edgeKeys.key,
    FACILITY_ID: venue.facilityId,
    ACCESS_TOKEN_PUBLIC_KEY: edgeKeys.accessPublicKey,
    HOST: options.host,
    PORT: String(options.port),
    MQTT_PORT: '0',
    LOG_LEVEL: options.logLevel,
    EDGE_STAFF_USERNAME: DEMO_LOGINS.consoleManager.username,
    EDGE_STAFF_PASSWORD: DEMO_LOGINS.consoleManager.password,
    // Back within two seconds of the line coming back, not after a minute of backoff.
    // A short long-poll: a restored line shows as online within seconds.
    SYNC_LONG_POLL_MS: '5000',
    SYNC_BACKOFF_BASE_MS: '250',
    SYNC_BACKOFF_MAX_MS: '2000',
    UNIFI_URL: options.unifi.url,
    UNIFI_TOKEN,
    NINJAONE_URL: options.ninja.url,
    NINJAONE_CLIENT_ID: options.ninja.clientId,
    NINJAONE_CLIENT_SECRET: options.ninja.clientSecret,
    NINJAONE_REFRESH_TOKEN: options.ninja.refreshToken,
    NINJAONE_HEALTH_SECONDS: '60',
    ...options.env,
  };
  const server = await startEdgeServer({
    config: loadConfig(env),
    control: loadFacilityControlConfig(env),
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.logStream === undefined ? {} : { logStream: options.logStream }),
  });
  try {
    const edgeApi = api(server.url);
    const login = await edgeApi.json<{ token: string }>('/api/v1/auth/login', {
      body: DEMO_LOGINS.consoleManager,
    });
    const managerAuth = `Bearer ${login.token}`;
    const frontDesk = await edgeApi.raw('/api/v1/auth/login', { body: DEMO_LOGINS.consoleStaff });
    if (frontDesk.status === 401) {
      await server.app.edge.auth.createStaff(
        DEMO_LOGINS.consoleStaff.username,
        DEMO_LOGINS.consoleStaff.password,
        'staff',
      );
    }
    let kioskKey = state.read().kioskKey;
    if (kioskKey === undefined) {
      const kiosk = await edgeApi.json<{ key: string }>('/api/v1/kiosks', {
        auth: managerAuth,
        body: { name: 'Lobby kiosk' },
      });
      kioskKey = kiosk.key;
      state.update((s) => {
        s.kioskKey = kiosk.key;
      });
    }
    return {
      server,
      url: server.url,
      edgeApi,
      managerAuth,
      kioskAuth: `Device ${kioskKey}`,
      kioskKey,
      mqttUrl: server.app.facilityControl.broker.url,
    };
  } catch (error) {
    await server.close();
    throw error;
  }
}
