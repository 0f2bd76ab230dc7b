import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { hubspotRoutes } from './hubspot.routes.js';
import { HubspotCrmClient } from './hubspot-crm.client.js';
import { HubspotOutboxRepository } from './hubspot-outbox.repository.js';
import { HubspotStatusRepository } from './hubspot-status.repository.js';
import { HubspotSyncRepository } from './hubspot-sync.repository.js';
import { HubspotSyncService } from './hubspot-sync.service.js';
import { HubspotSyncWorker } from './hubspot-sync.worker.js';

export interface HubspotSync {
  /** null when the sync is disabled (no HUBSPOT_ACCESS_TOKEN). */
  worker: HubspotSyncWorker | null;
  service: HubspotSyncService;
}

declare module 'fastify' {
  interface FastifyInstance {
    hubspotSync: HubspotSync;
  }
}

export interface HubspotSyncPluginOptions {
  /** Epoch-ms clock and random source for the worker's backoff; tests drive them. */
  clock?: () => number;
  random?: () => number;
}

/**
 * The HubSpot CRM sync as a plugin (docs/architecture.md: every timer belongs to a plugin): the worker starts
 * when the app is ready and stops on close; the admin routes are mounted under /api/v1. Without
 * an access token the sync is off, logged once; outbox events keep accumulating and are sent
 * once a token is configured.
 */
export const hubspotSyncPlugin = fp<HubspotSyncPluginOptions>(
  async (app: FastifyInstance, opts) => {
    const config = app.config.hubspot;
    const clock = opts.clock ?? Date.now;
    const repo = new HubspotSyncRepository(app.db);
    const outbox = new HubspotOutboxRepository(app.db, repo);
    let worker: HubspotSyncWorker | null = null;
    if (!config.accessToken) {
      app.log.info(
        'HubSpot sync disabled: HUBSPOT_ACCESS_TOKEN is not set (changes stay queued in the outbox)',
      );
    } else {
      const crm = new HubspotCrmClient({
        accessToken: config.accessToken,
        baseUrl: config.baseUrl,
        requestTimeoutMs: config.requestTimeoutMs,
      });
      const running = new HubspotSyncWorker(
        {
          repo,
          outbox,
          crm,
          log: app.log.child({ module: 'hubspot-sync' }),
          clock,
          ...(opts.random ? { random: opts.random } : {}),
        },
        {
          dealMinValueCents: config.dealMinValueCents,
          maxFailures: config.maxFailures,
          pollIntervalMs: config.pollIntervalMs,
        },
      );
      worker = running;
      app.addHook('onReady', async () => running.start());
      app.addHook('onClose', async () => {
        await running.stop();
        crm.close();
      });
      app.log.info({ baseUrl: config.baseUrl }, 'HubSpot sync enabled');
    }
    const service = new HubspotSyncService(new HubspotStatusRepository(app.db), worker, clock);
    app.decorate('hubspotSync', { worker, service });
    await app.register(hubspotRoutes, { prefix: '/api/v1', service });
  },
  { name: 'hubspot-sync' },
);
