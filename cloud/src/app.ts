import { typeboxValidatorCompiler } from '@clubos/shared/http';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import { adminRoutes } from './admin/admin.routes.js';
import { authPlugin } from './auth/auth.plugin.js';
import { authRoutes } from './auth/auth.routes.js';
import { availabilityRoutes } from './availability/availability.routes.js';
import { bookingRoutes } from './bookings/booking.routes.js';
import { clusterPlugin } from './cluster/cluster.plugin.js';
import { loadSheddingPlugin } from './cluster/load-shedding.plugin.js';
import { errorHandlerPlugin } from './common/error-handler.plugin.js';
import { sharedRateLimitStore } from './common/rate-limit.store.js';
import { securityHeadersPlugin } from './common/security-headers.plugin.js';
import { buildServices } from './composition-root.js';
import type { CloudConfig } from './config.js';
import { customerRoutes } from './customers/customer.routes.js';
import { type DatabaseHandle, openDatabase } from './db/client.js';
import { edgeFeedRoutes } from './edge-feed/edge-feed.routes.js';
import { guestAccessRoutes } from './guest-access/guest-access.routes.js';
import { healthRoutes } from './health/health.routes.js';
import { hubspotSyncPlugin } from './hubspot/hubspot-sync.plugin.js';
import { inAppPlugin } from './notifications/in-app.plugin.js';
import { notificationsPlugin } from './notifications/notifications.plugin.js';
import { paymentsRoutes } from './payments/payments.routes.js';
import { sitePlugin } from './site/site.plugin.js';
import { staffAlertsPlugin } from './staff-alerts/staff-alerts.plugin.js';
import { waitlistRoutes } from './waitlist/waitlist.routes.js';

export interface CloudAppOptions {
  config: CloudConfig;
  /** Called with the one-time admin password on first start (server.ts prints it). */
  onBootstrapAdmin?: (admin: { email: string; password?: string }) => void;
  /** Tests only: a migrated PGlite dump to open the in-memory database from (skips initdb). */
  pgliteTemplate?: Blob;
}

/**
 * The cloud as a Fastify plugin (docs/architecture.md: app.ts is a plugin, server.ts only listens).
 * Order: infrastructure (errors, security headers, rate limits, docs, database) → services (built
 * in composition-root.ts, the only place that constructs them) → routes. Everything it opens is
 * closed by `app.close()`.
 */
export const cloudApp = fp<CloudAppOptions>(async (app, opts) => {
  const { config } = opts;

  // Infrastructure
  await app.register(errorHandlerPlugin);
  await app.register(securityHeadersPlugin, {
    helmet: {
      // The docs page loads its own scripts and styles from /docs/static.
      contentSecurityPolicy: {
        directives: { 'img-src': ["'self'", 'data:', 'validator.swagger.io'] },
      },
    },
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'ClubOS Booking cloud API',
        version: '1.0.0',
        description:
          'Public /api/v1 of ClubOS Booking. Authenticate with `Authorization: Bearer <access_token>` ' +
          '(POST /api/v1/auth/login) or, for edge nodes, `Authorization: Edge <key>`.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          edge: { type: 'apiKey', in: 'header', name: 'Authorization' },
        },
      },
      security: [{ bearer: [] }],
    },
  });
  if (config.docs) {
    await app.register(swaggerUi, {
      routePrefix: '/docs',
      staticCSP: true,
      // Swagger UI sets style attributes from its scripts, which a hashed style-src refuses (and
      // a browser ignores 'unsafe-inline' next to hashes). Scripts stay hashed.
      transformStaticCSP: (header) =>
        header.replace(/style-src [^;]*;/, "style-src 'self' https: 'unsafe-inline';"),
    });
  }

  const database: DatabaseHandle = await openDatabase({
    url: config.databaseUrl,
    dataDir: config.databaseUrl ? undefined : config.dataDir ? `${config.dataDir}/pglite` : undefined,
    loadDataDir: opts.pgliteTemplate,
    warn: (message) => app.log.warn(message),
  });
  app.decorate('config', config);
  app.decorate('db', database.db);
  app.decorate('dbKind', database.kind);
  app.addHook('onClose', async () => database.close());
  // Before any route: a shed request is refused before it costs anything.
  await app.register(loadSheddingPlugin, { settings: config.resilience, dbWaiting: database.waiting });

  // Services
  const services = buildServices(app.db, config, app.log);
  app.decorate('services', services);
  app.addHook('onClose', async () => services.breakers.shutdown());
  // Rate limits count in PostgreSQL, so they hold across instances (the routes come after).
  if (config.rateLimit.enabled) {
    await app.register(rateLimit, { global: false, store: sharedRateLimitStore(services.rateCounters) });
  }
  await app.register(authPlugin, { tokens: services.tokens, repo: services.authRepository });
  const admin = await services.auth.bootstrapAdmin(config.adminEmail, config.adminPassword);
  if (admin) opts.onBootstrapAdmin?.(admin);

  await app.register(clusterPlugin); // periodic-work lease, cross-instance change notifications

  // Routes
  await app.register(healthRoutes);
  await app.register(hubspotSyncPlugin); // HubSpot outbox worker + /api/v1/admin/hubspot routes
  await app.register(notificationsPlugin); // email job queue + /api/v1/admin/notifications, unsubscribe
  await app.register(inAppPlugin); // /api/v1/me/notifications and its live stream
  await app.register(staffAlertsPlugin); // edge-offline pass + /api/v1/admin/facilities/:id/staff-alerts
  await app.register(
    async (api) => {
      await api.register(authRoutes);
      await api.register(availabilityRoutes);
      await api.register(bookingRoutes);
      await api.register(edgeFeedRoutes);
      await api.register(customerRoutes);
      await api.register(guestAccessRoutes);
      await api.register(waitlistRoutes);
      await api.register(adminRoutes);
      await api.register(paymentsRoutes);
    },
    { prefix: '/api/v1' },
  );
  await app.register(sitePlugin); // customer site at /, dashboard at /admin/, live availability (SSE)
});

/** A ready-to-listen (or `inject`) instance with the cloud registered. */
export async function buildApp(
  options: CloudAppOptions & { fastify?: FastifyServerOptions },
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: options.config.logLevel },
    trustProxy: true,
    // Opening PGlite (initdb + migrations) takes seconds on a busy 2-core machine.
    pluginTimeout: 120_000,
    ...options.fastify,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(typeboxValidatorCompiler);
  await app.register(cloudApp, options);
  await app.ready();
  return app;
}
