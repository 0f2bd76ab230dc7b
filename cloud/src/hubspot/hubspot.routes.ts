import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireRole } from '../auth/access.js';
import {
  AdminErrors,
  HubspotStatusQuerySchema,
  HubspotStatusSchema,
  ItemParamsSchema,
  RetryResponseSchema,
} from './hubspot.schemas.js';
import type { HubspotSyncService } from './hubspot-sync.service.js';

const tags = ['admin', 'hubspot'];

/** Admin view of the CRM sync: per-customer state, and the manual retry of a failed item. */
export const hubspotRoutes: FastifyPluginAsyncTypebox<{ service: HubspotSyncService }> = async (
  app,
  opts,
) => {
  const adminOnly = requireRole('admin');

  app.get(
    '/admin/hubspot/status',
    {
      preHandler: adminOnly,
      schema: {
        tags,
        summary: 'HubSpot sync state per customer (pending, failed with the last error, attempts)',
        querystring: HubspotStatusQuerySchema,
        response: { 200: HubspotStatusSchema, ...AdminErrors },
      },
    },
    async (request) =>
      opts.service.status({
        ...request.query,
        limit: request.query.limit ?? 50,
        offset: request.query.offset ?? 0,
      }),
  );

  app.post(
    '/admin/hubspot/items/:id/retry',
    {
      preHandler: adminOnly,
      schema: {
        tags,
        summary: 'Send a failed HubSpot sync item again',
        params: ItemParamsSchema,
        response: { 200: RetryResponseSchema, ...AdminErrors },
      },
    },
    async (request) => ({ item: await opts.service.retry(request.params.id) }),
  );
};
