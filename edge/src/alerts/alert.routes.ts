import {
  type Alert,
  AlertIdParamsSchema,
  AlertListQuerySchema,
  AlertListSchema,
  AlertSchema,
} from '@clubos/shared/api/edge-lan';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, allow } from '../auth/auth.plugin.js';
import type { AlertRecord } from './alert.repository.js';
import type { AlertService } from './alert.service.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const toJson = (a: AlertRecord): Alert => ({
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
export const alertRoutes: FastifyPluginAsyncTypebox<{ alerts: AlertService }> = async (app, { alerts }) => {
  app.get(
    '/alerts',
    {
      preHandler: allow('staff'),
      schema: { querystring: AlertListQuerySchema, response: { 200: AlertListSchema } },
    },
    async (request) => ({
      alerts: alerts.list(request.query.open ?? true, request.query.limit ?? 100).map(toJson),
    }),
  );
  app.post(
    '/alerts/:id/acknowledge',
    {
      preHandler: allow('staff'),
      schema: { params: AlertIdParamsSchema, response: { 200: AlertSchema } },
    },
    async (request) => toJson(alerts.acknowledge(request.params.id, actorOf(request))),
  );
};
