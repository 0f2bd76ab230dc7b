import { SyncStatusSchema } from '@clubos/shared/api/edge-lan';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { allow } from '../auth/auth.plugin.js';
import type { EdgeDatabase } from '../db/database.js';
import type { LinkState } from './link-state.js';
import { syncStatus } from './sync-status.service.js';

export const syncRoutes: FastifyPluginAsyncTypebox<{
  database: EdgeDatabase;
  link: LinkState | null;
  now: () => number;
}> = async (app, { database, link, now }) => {
  app.get(
    '/sync/status',
    { preHandler: allow('staff', 'kiosk'), schema: { response: { 200: SyncStatusSchema } } },
    async () => syncStatus(database, link, now()),
  );
};
