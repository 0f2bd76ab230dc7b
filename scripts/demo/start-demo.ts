import { existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { buildApp, loadConfig } from '../../cloud/src/index.js';
import {
  type HubspotSimulator,
  type MailServer,
  type NinjaSimulator,
  type StripeSimulator,
  startHubspotSimulator,
  startMailServer,
  startNinjaSimulator,
  startStripeSimulator,
  startUnifiSimulator,
  type UnifiSimulator,
} from '../../simulators/src/index.js';
import { ensureWebBuilds, WEB_APPS } from '../web-builds.js';
import { type CloudLink, startCloudLink } from './cloud-link.proxy.js';
import { type DemoDevices, startDemoDevices } from './demo-devices.js';
import { type DemoEdge, type DemoEdgeOptions, startDemoEdge, UNIFI_TOKEN } from './demo-edge.js';
import { type Api, api } from './demo-http.js';
import { demoStateFile } from './demo-state.js';
import { DEMO_DOORS, DEMO_LOGINS, DEMO_NINJA_DEVICES } from './demo-venue.js';
import { type SeededVenue, seedDemoVenue } from './demo-venue.seed.js';

export const HUBSPOT_TOKEN = 'pat-demo-local';

export interface DemoOptions {
  /** Holds `cloud/` (PGlite), `edge/` (SQLite) and `demo-state.json`. */
  dataDir: string;
  /** Wipe `dataDir` first. */
  reset?: boolean;
  /** Start with the edge cut from the cloud. */
  offline?: boolean;
  host?: string;
  /** Ports wanted for the cloud and the edge; a taken one (or none) means a free one. */
  ports?: { cloud?: number; edge?: number };
  /** Pino level of the cloud and the edge (default `error`: the progress lines are the demo's output). */
  logLevel?: string;
  /** Where the cloud's and the edge's log lines go (`npm start`: demoLogStream); default pino's JSON on stdout. */
  logStream?: DemoEdgeOptions['logStream'];
  /** Build the customer site, admin dashboard, staff console and kiosk renderer (default true). */
  buildWebApps?: boolean;
  /** Extra cloud environment (e.g. the caller's own, or faster HubSpot passes for tests). */
  cloudEnv?: Record<string, string | undefined>;
  /** Extra edge environment (sync timings). */
  edgeEnv?: Record<string, string>;
  /** The edge's clock (default Date.now). */
  now?: () => number;
  /** Called with one line per step while starting. */
  progress?: (step: string) => void;
}

export interface DemoUrls {
  cloud: string;
  api: string;
  docs: string;
  site: string;
  admin: string;
  edge: string;
  console: string;
  /** The kiosk renderer, served by the edge, signed in with the lobby kiosk's key. */
  kiosk: string;
  mqtt: string;
  cloudLink: string;
  unifi: string;
  ninja: string;
  hubspot: string;
  /** The Stripe simulator (its hosted payment pages; test card 4242 4242 4242 4242). */
  stripe: string;
  /** The demo's mail inbox: every email the cloud sends (confirmations, reminders, offers). */
  inbox: string;
}

export interface Demo {
  urls: DemoUrls;
  logins: typeof DEMO_LOGINS;
  venue: SeededVenue;
  /** True when this start seeded the venue (a fresh data folder). */
  seeded: boolean;
  cloud: Awaited<ReturnType<typeof buildApp>>;
  cloudApi: Api;
  edge: DemoEdge;
  devices: DemoDevices;
  link: CloudLink;
  sims: {
    unifi: UnifiSimulator;
    ninja: NinjaSimulator;
    hubspot: HubspotSimulator;
    stripe: StripeSimulator;
    mail: MailServer;
  };
  readonly offline: boolean;
  /** Cuts (true) or restores (false) the edge's line to the cloud. */
  setOffline(offline: boolean): void;
  /** Stops devices, edge, line, cloud and simulators, in that order; the data stays. */
  stop(): Promise<void>;
}

/** Signs the Stripe simulator's webhooks to the demo cloud. */
const STRIPE_WEBHOOK_SECRET = 'whsec_clubos_demo';

async function freePortOr(wanted: number | undefined, host: string): Promise<number> {
  if (wanted === undefined || wanted === 0) return 0;
  const free = await new Promise<boolean>((resolve) => {
    const probe = createServer()
      .once('error', () => resolve(false))
      .once('listening', () => probe.close(() => resolve(true)))
      .listen(wanted, host);
  });
  return free ? wanted : 0;
}

/** Starts the whole venue in this process: simulators, cloud, seed, the line, edge, devices. */
export async function startDemo(options: DemoOptions): Promise<Demo> {
  const progress = options.progress ?? (() => undefined);
  const host = options.host ?? '127.0.0.1';
  const logLevel = options.logLevel ?? 'error';
  if (options.reset) {
    rmSync(options.dataDir, { recursive: true, force: true });
    progress(`data folder ${options.dataDir} wiped`);
  }
  const closers: Array<{ what: string; close: () => Promise<void> }> = [];
  const stopAll = async () => {
    for (const { close } of closers.splice(0).reverse()) await close().catch(() => undefined);
  };

  try {
    if (options.buildWebApps !== false) {
      progress(
        'building the customer site, admin dashboard, staff console and kiosk (skipped when up to date)',
      );
      await ensureWebBuilds(WEB_APPS, (line) => progress(line));
    }

    progress('starting the UniFi Access, NinjaOne, HubSpot and Stripe simulators and the mail inbox');
    const [unifi, ninja, hubspot, stripe, mail] = await Promise.all([
      startUnifiSimulator({ port: 0, host, token: UNIFI_TOKEN, doors: DEMO_DOORS }),
      startNinjaSimulator({ port: 0, host, devices: DEMO_NINJA_DEVICES, scriptDelayMs: 200 }),
      startHubspotSimulator({ port: 0, host, accessToken: HUBSPOT_TOKEN }),
      startStripeSimulator({ port: 0, host }),
      startMailServer({ port: 0, httpPort: 0, host }),
    ]);
    closers.push(
      { what: 'UniFi simulator', close: () => unifi.close() },
      { what: 'NinjaOne simulator', close: () => ninja.close() },
      { what: 'HubSpot simulator', close: () => hubspot.close() },
      { what: 'mail inbox', close: () => mail.close() },
      { what: 'Stripe simulator', close: () => stripe.close() },
    );

    const cloudDir = join(options.dataDir, 'cloud');
    progress(
      existsSync(join(cloudDir, 'pglite'))
        ? 'starting the cloud (PGlite in the data folder)'
        : 'starting the cloud (PGlite: creating its database takes up to a minute)',
    );
    const cloudPort = await freePortOr(options.ports?.cloud, host);
    const cloudConfig = loadConfig({
      env: {
        CLOUD_DATA_DIR: cloudDir,
        ADMIN_EMAIL: DEMO_LOGINS.admin.email,
        ADMIN_PASSWORD: DEMO_LOGINS.admin.password,
        HUBSPOT_BASE_URL: hubspot.url,
        HUBSPOT_ACCESS_TOKEN: HUBSPOT_TOKEN,
        STRIPE_SECRET_KEY: stripe.apiKey,
        STRIPE_WEBHOOK_SECRET: STRIPE_WEBHOOK_SECRET,
        STRIPE_API_URL: stripe.url,
        SMTP_URL: mail.smtpUrl,
        MAIL_FROM: 'ClubOS Demo Golf <bookings@demo.clubos.test>',
        LOG_LEVEL: logLevel,
        ...options.cloudEnv,
        HOST: host,
        PORT: String(cloudPort),
      },
    });
    const cloud = await buildApp({
      config: cloudConfig,
      ...(options.logStream === undefined
        ? {}
        : { fastify: { logger: { level: cloudConfig.logLevel, stream: options.logStream } } }),
    });
    closers.push({ what: 'cloud', close: () => cloud.close() });
    const cloudUrl = await cloud.listen({ port: cloudPort, host });
    const cloudApi = api(cloudUrl);
    // The simulator signs and posts its webhooks to the cloud, as Stripe would.
    stripe.control.addWebhookEndpoint({
      url: `${cloudUrl}/api/v1/payments/stripe/webhook`,
      events: ['*'],
      secret: STRIPE_WEBHOOK_SECRET,
    });

    progress('seeding the demo venue through the admin API (skipped when it is there)');
    const venue = await seedDemoVenue(cloudApi);
    progress(
      venue.created.length === 0
        ? 'demo venue found: nothing to seed'
        : `demo venue seeded: ${venue.created.filter((c) => !c.endsWith('opening hours')).join(', ')}`,
    );

    const link = await startCloudLink({ target: cloudUrl, host, offline: options.offline ?? false });
    closers.push({ what: 'cloud link', close: () => link.close() });

    progress(`starting the edge (SQLite; its line to the cloud is ${link.offline ? 'CUT' : 'up'})`);
    const state = demoStateFile(options.dataDir);
    const edge = await startDemoEdge({
      cloud: cloudApi,
      cloudLinkUrl: link.url,
      dataDir: options.dataDir,
      state,
      venue,
      unifi,
      ninja,
      host,
      port: await freePortOr(options.ports?.edge, host),
      logLevel,
      ...(options.now === undefined ? {} : { now: options.now }),
      ...(options.edgeEnv === undefined ? {} : { env: options.edgeEnv }),
      ...(options.logStream === undefined ? {} : { logStream: options.logStream }),
    });
    closers.push({ what: 'edge', close: () => edge.server.close() });

    progress('connecting 8 bay PCs and 2 door scanners to the edge broker');
    const devices = await startDemoDevices({
      edgeApi: edge.edgeApi,
      managerAuth: edge.managerAuth,
      mqttUrl: edge.mqttUrl,
      venue,
      state,
    });
    closers.push({ what: 'devices', close: () => devices.stop() });

    const sync = edge.server.app.edge.sync;
    return {
      urls: {
        cloud: cloudUrl,
        api: `${cloudUrl}/api/v1`,
        docs: `${cloudUrl}/docs`,
        site: `${cloudUrl}/`,
        admin: `${cloudUrl}/admin/`,
        edge: edge.url,
        console: `${edge.url}/console/`,
        kiosk: `${edge.url}/kiosk/index.html?key=${encodeURIComponent(edge.kioskKey)}`,
        mqtt: edge.mqttUrl,
        cloudLink: link.url,
        unifi: unifi.url,
        ninja: ninja.url,
        hubspot: hubspot.url,
        stripe: stripe.url,
        inbox: mail.httpUrl ?? mail.smtpUrl,
      },
      logins: DEMO_LOGINS,
      venue,
      seeded: venue.created.includes('facility'),
      cloud,
      cloudApi,
      edge,
      devices,
      link,
      sims: { unifi, ninja, hubspot, stripe, mail },
      get offline() {
        return link.offline;
      },
      setOffline(offline) {
        link.setOffline(offline);
        // Back online: reconnect now rather than at the end of the current backoff.
        if (!offline) {
          sync?.pull.wake();
          sync?.uploader.wake();
        }
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
