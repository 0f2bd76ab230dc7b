import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { allow } from '../auth/auth.plugin.js';
import type { EdgeDatabase } from '../db/database.js';
import type { LinkState } from './link-state.js';
import { syncStatus } from './sync-status.service.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const SyncStatusResponse = Type.Object({
  state: Type.Union([Type.Literal('online'), Type.Literal('offline'), Type.Literal('disabled')]),
  cursor: Type.Integer(),
  cloud_head: Type.Integer(),
  lag_changes: Type.Integer(),
  lag_ms: Type.Union([Type.Integer(), Type.Null()]),
  last_successful_pull: Nullable(Type.String()),
  snapshot_loaded_at: Nullable(Type.String()),
  outbox_pending: Type.Integer(),
  outbox_rejected: Type.Integer(),
  last_error: Nullable(Type.String()),
});

export const syncRoutes: FastifyPluginAsync<{
  database: EdgeDatabase;
  link: LinkState | null;
  now: () => number;
}> = async (app, { database, link, now }) => {
  app.get(
    '/sync/status',
    { preHandler: allow('staff', 'kiosk'), schema: { response: { 200: SyncStatusResponse } } },
    async () => syncStatus(database, link, now()),
  );
};
