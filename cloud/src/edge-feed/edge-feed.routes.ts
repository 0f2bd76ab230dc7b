import {
  EdgeConfigSchema,
  EdgeIdParamsSchema,
  OkResponseSchema,
  RegisterEdgeBodySchema,
  RegisteredEdgeSchema,
  StandardErrors,
} from '@clubos/shared/api';
import {
  ChangesQuerySchema,
  ChangesResponseSchema,
  SnapshotSchema,
  UploadAckSchema,
  UploadBatchSchema,
} from '@clubos/shared/sync';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { edgePrincipalOf, requireRole } from '../auth/index.js';
import { changeLogCompactionPlugin } from './change-log-compaction.plugin.js';
import { edgeStreamRoutes } from './edge-stream.routes.js';

const tags = ['edge'];

/**
 * The sync schemas build their unions from arrays (`CHANGE_ENTITIES.map(Type.Literal)`), which the
 * type provider infers as `never`; the values are typed by @clubos/shared/sync and checked by the
 * response schema at run time.
 */
const asSchemaTyped = <T>(value: T) => value as never;
const edgeSecurity = [{ edge: [] }];

/** Cloud ↔ edge sync (docs/decisions/004 and 005). Edges authenticate with `Authorization: Edge <key>`. */
export const edgeFeedRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const feed = app.services.edgeFeed;
  await app.register(edgeStreamRoutes); // GET /edge/changes/stream (SSE nudges)
  await app.register(changeLogCompactionPlugin); // timer: old entries out, edges behind → snapshot

  app.post(
    '/edge/nodes',
    {
      preHandler: requireRole('admin'),
      schema: {
        tags,
        summary: 'Admin: register an edge node for a facility (returns its key once)',
        body: RegisterEdgeBodySchema,
        response: { 201: RegisteredEdgeSchema, ...StandardErrors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await feed.register(request.body.facility_id, request.body.name)),
  );

  app.delete(
    '/edge/nodes/:id',
    {
      preHandler: requireRole('admin'),
      schema: {
        tags,
        summary: 'Admin: revoke an edge key',
        params: EdgeIdParamsSchema,
        response: { 200: OkResponseSchema, ...StandardErrors },
      },
    },
    async (request) => {
      await feed.revoke(request.params.id);
      return { ok: true as const };
    },
  );

  app.get(
    '/edge/config',
    {
      preHandler: requireRole('system'),
      schema: {
        tags,
        security: edgeSecurity,
        summary: 'The edge’s facility and token public key',
        response: { 200: EdgeConfigSchema, ...StandardErrors },
      },
    },
    async (request) => feed.config(edgePrincipalOf(request)),
  );

  app.get(
    '/edge/snapshot',
    {
      preHandler: requireRole('system'),
      schema: {
        tags,
        security: edgeSecurity,
        summary: 'Full replica of the edge’s facility and the seq it reflects',
        response: { 200: SnapshotSchema, ...StandardErrors },
      },
    },
    async (request) => asSchemaTyped(await feed.snapshot(edgePrincipalOf(request))),
  );

  app.get(
    '/edge/changes',
    {
      preHandler: requireRole('system'),
      schema: {
        tags,
        security: edgeSecurity,
        summary: 'Changes of the edge’s facility after a cursor (optionally long-polling with wait_ms)',
        querystring: ChangesQuerySchema,
        response: { 200: ChangesResponseSchema, ...StandardErrors },
      },
    },
    async (request) =>
      asSchemaTyped(
        await feed.changes(
          edgePrincipalOf(request),
          request.query.after,
          request.query.limit ?? 500,
          request.query.wait_ms ?? 0,
        ),
      ),
  );

  app.post(
    '/edge/events',
    {
      preHandler: requireRole('system'),
      schema: {
        tags,
        security: edgeSecurity,
        summary: 'Upload outbox events; each is accepted, duplicate (by event_id) or rejected with a reason',
        body: UploadBatchSchema,
        response: { 200: UploadAckSchema, ...StandardErrors },
      },
    },
    async (request) => asSchemaTyped(await feed.upload(edgePrincipalOf(request), request.body)),
  );
};
