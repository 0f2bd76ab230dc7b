import { StandardErrors } from '@clubos/shared/api';
import { IdParamsSchema } from '@clubos/shared/api/admin.schemas';
import { StaffAlertListSchema, StaffAlertQuerySchema } from '@clubos/shared/api/staff-alerts.schemas';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { assertFacilityAccess, requireRole } from '../auth/index.js';

/** The facility's staff alerts, newest first: its staff and admins. */
export const staffAlertsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { staffAlerts } = app.services;
  app.get(
    '/admin/facilities/:id/staff-alerts',
    {
      preHandler: requireRole('staff', 'admin'),
      schema: {
        tags: ['admin', 'notifications'],
        summary: 'Staff alerts of a facility (door forced or held open, bay PC offline…), newest first',
        params: IdParamsSchema,
        querystring: StaffAlertQuerySchema,
        response: { 200: StaffAlertListSchema, ...StandardErrors },
      },
    },
    async (request) => {
      assertFacilityAccess(request.principal, request.params.id);
      return staffAlerts.list(request.params.id, request.query.limit ?? 100);
    },
  );
};
