import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { hubspotRoutes } from './hubspot.routes.js';
import type { HubspotSyncService } from './hubspot-sync.service.js';
import type { HubspotSyncWorker } from './hubspot-sync.worker.js';

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

/**
 * The HubSpot CRM sync's lifecycle (docs/architecture.md: every timer belongs to a plugin): the
 * worker the composition root built starts when the app is ready and stops on close; the admin
 * routes are mounted under /api/v1. Without an access token the sync is off, logged once; outbox
 * events keep accumulating and are sent once a token is configured.
 */
export const hubspotSyncPlugin = fp(
  async (app: FastifyInstance) => {
    const { hubspotWorker: worker, hubspotCrm: crm, hubspotSync: service } = app.services;
    if (worker === null) {
      app.log.info(
        'HubSpot sync disabled: HUBSPOT_ACCESS_TOKEN is not set (changes stay queued in the outbox)',
      );
    } else {
      // Only the lease holder syncs, so the pause after a 429 holds for the whole deployment.
      const lease = app.services.leaderLease;
      const follow = (held: boolean) => (held ? worker.start() : void worker.stop());
      app.addHook('onReady', async () => {
        lease.on('change', follow);
        if (lease.held) worker.start();
      });
      app.addHook('onClose', async () => {
        lease.off('change', follow);
        await worker.stop();
        crm?.close();
      });
      app.log.info({ baseUrl: app.config.hubspot.baseUrl }, 'HubSpot sync enabled');
    }
    app.decorate('hubspotSync', { worker, service });
    await app.register(hubspotRoutes, { prefix: '/api/v1', service });
  },
  { name: 'hubspot-sync' },
);
