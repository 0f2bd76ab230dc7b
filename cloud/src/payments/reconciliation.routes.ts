import { StandardErrors } from '@clubos/shared/api';
import {
  ReconciliationQuerySchema,
  ReconciliationReportSchema,
  ReconciliationRunBodySchema,
} from '@clubos/shared/api/payment-reports.schemas';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireRole } from '../auth/index.js';

const tags = ['admin', 'payments'];

/** The nightly reconciliation's reports (every facility's money at once: admins only). */
export const reconciliationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const service = app.services.reconciliation;
  const preHandler = requireRole('admin');

  app.get(
    '/admin/payments/reconciliation',
    {
      preHandler,
      schema: {
        tags,
        summary: "Stripe against our ledger: the latest report, or one UTC date's",
        description:
          'Every difference between the PaymentIntents and Refunds Stripe lists for the date and our ' +
          'payments and refunds: missing_at_us, missing_at_stripe, amount_differs, status_differs.',
        querystring: ReconciliationQuerySchema,
        response: { 200: ReconciliationReportSchema, ...StandardErrors },
      },
    },
    async (request) => service.report(request.query.date),
  );

  app.post(
    '/admin/payments/reconciliation/run',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Reconcile one UTC date now (the nightly job does yesterday); replaces that date’s report',
        body: ReconciliationRunBodySchema,
        response: { 200: ReconciliationReportSchema, ...StandardErrors },
      },
    },
    async (request) => service.run(request.body.date),
  );
};
