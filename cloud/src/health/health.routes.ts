import { ErrorResponseSchema } from '@clubos/shared/api';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';

const HealthSchema = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable'), Type.Literal('draining')]),
  database: Type.Object({ kind: Type.String(), ok: Type.Boolean(), migrated: Type.Boolean() }),
  instance: Type.Object({ id: Type.String(), leading: Type.Boolean() }),
  /** Circuit breakers of the outside services: `open` means calls fail fast, work waits in outboxes. */
  dependencies: Type.Record(
    Type.String(),
    Type.Union([Type.Literal('closed'), Type.Literal('open'), Type.Literal('half_open')]),
  ),
});

const LiveSchema = Type.Object({ status: Type.Literal('ok'), instance: Type.String() });

/**
 * `/health` is readiness: the database answers, it carries every migration of this build, and the
 * instance is not draining after SIGTERM; otherwise 503, and the load balancer sends elsewhere.
 * `/health/live` is liveness: the process answers (restart it only when that fails).
 */
export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { health: repo, leaderLease, breakers } = app.services;
  app.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: database reachable, migrations applied, not draining',
        // A shed request (load-shedding.plugin.ts) answers 503 in the error envelope instead.
        response: { 200: HealthSchema, 503: Type.Union([HealthSchema, ErrorResponseSchema]) },
      },
    },
    async (_request, reply) => {
      const ok = await repo.ping();
      const migrated = ok && (await repo.migrationsApplied());
      const draining = app.draining.active;
      const status = draining ? 'draining' : ok && migrated ? 'ok' : 'unavailable';
      return reply.status(status === 'ok' ? 200 : 503).send({
        status,
        database: { kind: app.dbKind, ok, migrated },
        instance: { id: app.config.cluster.instanceId, leading: leaderLease.held },
        // An open breaker does not make the instance unready: bookings never wait on these services.
        dependencies: breakers.states(),
      });
    },
  );
  app.get(
    '/health/live',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness: the process answers',
        response: { 200: LiveSchema },
      },
    },
    async () => ({ status: 'ok' as const, instance: app.config.cluster.instanceId }),
  );
};
