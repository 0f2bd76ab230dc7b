import { StandardErrors } from '@clubos/shared/api';
import { DashboardQuerySchema, DashboardResponseSchema } from '@clubos/shared/api/admin.schemas';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf, requireRole } from '../auth/index.js';

/** Seed `GET /api/v1/admin/dashboard`. */
export const dashboardRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const service = app.services.dashboard;

  app.get(
    '/admin/dashboard',
    {
      preHandler: requireRole('staff', 'admin'),
      schema: {
        tags: ['admin'],
        summary: "Today's bookings, revenue, occupancy and cancellations, 14-day trends and alerts",
        description:
          "Figures are for the facility's local business date. bookings excludes cancellations; revenue is " +
          'the money that moved that day (succeeded payments minus succeeded refunds), not list prices; occupancy is the percent of open bay-minutes sold.',
        querystring: DashboardQuerySchema,
        response: { 200: DashboardResponseSchema, ...StandardErrors },
      },
    },
    async (request) => service.dashboard(principalOf(request), request.query),
  );
};
