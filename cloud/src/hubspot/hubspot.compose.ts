import type { FastifyBaseLogger } from 'fastify';
import type { DependencyBreakers } from '../common/circuit-breaker.js';
import type { HubspotConfig } from '../config.js';
import type { Database } from '../db/client.js';
import { HubspotCrmClient } from './hubspot-crm.client.js';
import { HubspotOutboxRepository } from './hubspot-outbox.repository.js';
import { HubspotStatusRepository } from './hubspot-status.repository.js';
import { HubspotSyncRepository } from './hubspot-sync.repository.js';
import { HubspotSyncService } from './hubspot-sync.service.js';
import { HubspotSyncWorker } from './hubspot-sync.worker.js';

/**
 * The HubSpot sync, for the composition root: its worker (null without HUBSPOT_ACCESS_TOKEN:
 * changes stay queued in the outbox) and the admin status service. The sync plugin starts and
 * stops the worker with the app.
 */
export function buildHubspot(
  db: Database,
  config: HubspotConfig,
  log: FastifyBaseLogger,
  breakers: DependencyBreakers,
) {
  const repo = new HubspotSyncRepository(db);
  const crm = config.accessToken
    ? new HubspotCrmClient({
        accessToken: config.accessToken,
        baseUrl: config.baseUrl,
        requestTimeoutMs: config.requestTimeoutMs,
        breaker: breakers.hubspot,
      })
    : null;
  const hubspotWorker = crm
    ? new HubspotSyncWorker(
        {
          repo,
          outbox: new HubspotOutboxRepository(db, repo),
          crm,
          log: log.child({ module: 'hubspot-sync' }),
          clock: Date.now,
        },
        {
          dealMinValueCents: config.dealMinValueCents,
          maxFailures: config.maxFailures,
          pollIntervalMs: config.pollIntervalMs,
        },
      )
    : null;
  return {
    hubspotCrm: crm,
    hubspotWorker,
    hubspotSync: new HubspotSyncService(new HubspotStatusRepository(db), hubspotWorker, Date.now),
  };
}
