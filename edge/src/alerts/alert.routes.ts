import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { actorOf, allow } from '../auth/auth.plugin.js';
import type { AlertRecord } from './alert.repository.js';
import type { AlertService } from './alert.service.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Alert = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  severity: Type.String(),
  subject: Nullable(Type.String()),
  message: Type.String(),
  details: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  raised_at: Type.String(),
  last_seen_at: Type.String(),
  occurrences: Type.Integer(),
  resolved_at: Nullable(Type.String()),
  acknowledged_at: Nullable(Type.String()),
  acknowledged_by: Nullable(Type.String()),
});

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const toJson = (a: AlertRecord) => ({
  id: a.id,
  kind: a.kind,
  severity: a.severity,
  subject: a.subject,
  message: a.message,
  details: a.details,
  raised_at: new Date(a.raised_at).toISOString(),
  last_seen_at: new Date(a.last_seen_at).toISOString(),
  occurrences: a.occurrences,
  resolved_at: iso(a.resolved_at),
  acknowledged_at: iso(a.acknowledged_at),
  acknowledged_by: a.acknowledged_by,
});

/** Staff alerts for the console: bays offline, doors forced or held open, NinjaOne/UniFi trouble. */
export const alertRoutes: FastifyPluginAsync<{ alerts: AlertService }> = async (app, { alerts }) => {
  app.get<{ Querystring: { open?: boolean; limit?: number } }>(
    '/alerts',
    {
      preHandler: allow('staff'),
      schema: {
        querystring: Type.Object({
          open: Type.Optional(Type.Boolean()),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
        }),
        response: { 200: Type.Object({ alerts: Type.Array(Alert) }) },
      },
    },
    async (request) => ({
      alerts: alerts.list(request.query.open ?? true, request.query.limit ?? 100).map(toJson),
    }),
  );
  app.post<{ Params: { id: number } }>(
    '/alerts/:id/acknowledge',
    {
      preHandler: allow('staff'),
      schema: { params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), response: { 200: Alert } },
    },
    async (request) => toJson(alerts.acknowledge(request.params.id, actorOf(request))),
  );
};
