import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { authPlugin } from './auth/auth.plugin.js';
import { authRoutes } from './auth/auth.routes.js';
import { availabilityRoutes } from './availability/availability.routes.js';
import { type FacilityControlRunOptions, facilityControlPlugin } from './bays/facility-control.plugin.js';
import { bookingRoutes } from './bookings/booking.routes.js';
import { composeEdge, type EdgeServices, type FacilityControlSetup } from './composition-root.js';
import type { EdgeConfig } from './config.js';
import { consolePlugin } from './console/console.plugin.js';
import { backupPlugin } from './db/backup.plugin.js';
import { EDGE_DIR } from './edge-paths.js';
import { lanDialectPlugin } from './http/lan-dialect.js';
import { openApiPlugin } from './http/openapi.plugin.js';
import type { CloudPayments } from './payments/cloud-payments.client.js';
import { walkInPaymentRoutes } from './payments/walk-in-payment.routes.js';
import type { CloudFeed } from './sync/cloud-feed.js';
import { syncPlugin } from './sync/sync.plugin.js';
import { syncRoutes } from './sync/sync.routes.js';
import { walkInRoutes } from './walk-ins/walk-in.routes.js';

declare module 'fastify' {
  interface FastifyInstance {
    edge: EdgeServices;
  }
}

export interface EdgeAppOptions {
  config: EdgeConfig;
  /** Substitute cloud feed (tests); default: the HTTP client for CLOUD_URL, none without it. */
  feed?: CloudFeed;
  now?: () => number;
  /** Start the pull loop and uploader on ready (default true; tests may drive them by hand). */
  runSync?: boolean;
  /** Doors and bays (broker port, UniFi/NinjaOne settings or substitute clients, timers). */
  facilityControl?: FacilityControlSetup & Pick<FacilityControlRunOptions, 'runTimers' | 'brokerRetryMs'>;
  /** The kiosk renderer's build to serve at `/kiosk/` (default: the workspace's kiosk-app build). */
  kioskRendererDir?: string;
  /** Substitute for the cloud's payment endpoints (tests); default: the HTTP client for CLOUD_URL. */
  cloudPayments?: CloudPayments;
}

/** `pnpm --filter @clubos/kiosk-app build:renderer` writes it here (git-ignored). */
export const KIOSK_RENDERER_DIR = join(EDGE_DIR, '..', 'kiosk-app', 'dist', 'renderer/');

/**
 * The kiosk renderer, served by the edge at `/kiosk/` so that the Electron kiosk loads it from the
 * same origin as the API it calls: no CORS, and the kiosk's device key (added by Electron to the
 * edge's requests) is the only credential. Hashed assets are cached for good; the page never.
 */
const kioskRenderer: FastifyPluginAsync<{ dir: string }> = async (app, { dir }) => {
  if (!existsSync(join(dir, 'index.html'))) {
    app.get('/kiosk/*', async (_request, reply) =>
      reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The kiosk renderer is not built yet: run `pnpm --filter @clubos/kiosk-app build:renderer`.'),
    );
    return;
  }
  app.get('/kiosk', async (_request, reply) => reply.redirect('/kiosk/'));
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/kiosk/',
    decorateReply: false,
    dotfiles: 'ignore',
    cacheControl: false,
    setHeaders: (res, path) =>
      res.setHeader(
        'cache-control',
        path.includes(`${join(dir, 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      ),
  });
};

/**
 * The edge's LAN API as a plugin (docs/architecture.md: `server.ts` only builds Fastify and listens). Order:
 * infrastructure (database, backups, sync loops) → auth → routes. The database is closed by the
 * first onClose hook registered, which Fastify runs last, after the loops have stopped.
 */
const edgeAppPlugin: FastifyPluginAsync<EdgeAppOptions> = async (app, options) => {
  const { config } = options;
  await app.register(lanDialectPlugin);
  await app.register(openApiPlugin, { docs: config.docs });
  const { runTimers, brokerRetryMs, ...facilityControl } = options.facilityControl ?? {};
  // Every service is built here, once; the plugins below only run and serve them.
  const edge = composeEdge({
    config,
    log: app.log,
    facilityControl,
    ...(options.feed === undefined ? {} : { feed: options.feed }),
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.cloudPayments === undefined ? {} : { cloudPayments: options.cloudPayments }),
  });
  app.decorate('edge', edge);
  app.addHook('onClose', async () => edge.database.close());

  if (config.bootstrapStaff !== null) {
    await edge.auth.bootstrapStaff(config.bootstrapStaff.username, config.bootstrapStaff.password);
  }
  await app.register(backupPlugin, {
    database: edge.database,
    dir: config.backupDir,
    keep: config.backupKeep,
    cron: config.backupCron,
  });
  if (edge.sync !== null && options.runSync !== false) {
    await app.register(syncPlugin, { pull: edge.sync.pull, uploader: edge.sync.uploader });
  }

  await app.register(authPlugin, { auth: edge.auth });
  app.get('/health', async () => ({ ok: true }));
  await app.register(
    async (api) => {
      await api.register(authRoutes, { auth: edge.auth });
      await api.register(availabilityRoutes, { database: edge.database, now: edge.now });
      await api.register(walkInRoutes, {
        walkInPayments: edge.walkInPayments,
        database: edge.database,
        idempotency: edge.idempotency,
      });
      await api.register(walkInPaymentRoutes, { walkInPayments: edge.walkInPayments, dues: edge.walkInDues });
      await api.register(bookingRoutes, { bookings: edge.bookings });
      await api.register(syncRoutes, {
        database: edge.database,
        link: edge.sync?.link ?? null,
        now: edge.now,
      });
    },
    { prefix: '/api/v1' },
  );
  await app.register(facilityControlPlugin, {
    facility: edge.facility,
    database: edge.database,
    ...(runTimers === undefined ? {} : { runTimers }),
    ...(brokerRetryMs === undefined ? {} : { brokerRetryMs }),
  });
  await app.register(consolePlugin, { edge });
  await app.register(kioskRenderer, { dir: options.kioskRendererDir ?? KIOSK_RENDERER_DIR });
};

/** Not encapsulated: `server.ts` and tests reach the services as `app.edge`. */
export const edgeApp = fp(edgeAppPlugin, { name: 'edge-app' });
