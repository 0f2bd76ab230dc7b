import { StandardErrors } from '@clubos/shared/api';
import { IdParamsSchema } from '@clubos/shared/api/admin.schemas';
import {
  BookingPaymentsResponseSchema,
  FacilityPaymentsQuerySchema,
  FacilityPaymentsResponseSchema,
} from '@clubos/shared/api/payment-reports.schemas';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf, requireRole } from '../auth/index.js';

const tags = ['admin', 'payments'];

/** The admin money views: per booking, and per facility-local day with payout totals. */
export const paymentReportsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const service = app.services.paymentReports;
  const preHandler = requireRole('staff', 'admin');

  app.get(
    '/admin/bookings/:id/payments',
    {
      preHandler,
      schema: {
        tags,
        summary: "A booking's payments and refunds, with its totals per currency",
        params: IdParamsSchema,
        response: { 200: BookingPaymentsResponseSchema, ...StandardErrors },
      },
    },
    async (request) => service.ofBooking(principalOf(request), request.params.id),
  );

  app.get(
    '/admin/facilities/:id/payments',
    {
      preHandler,
      schema: {
        tags,
        summary: "A facility's payments and refunds of one local day, with payout-ready totals",
        description:
          'A payment counts on the local day it succeeded (or was started, when it never succeeded); a ' +
          'refund on the day it was made. Totals take succeeded payments and refunds only, per currency.',
        params: IdParamsSchema,
        querystring: FacilityPaymentsQuerySchema,
        response: { 200: FacilityPaymentsResponseSchema, ...StandardErrors },
      },
    },
    async (request) => service.ofDay(principalOf(request), request.params.id, request.query.date),
  );
};
