import { StandardErrors } from '@clubos/shared/api';
import { IdParamsSchema } from '@clubos/shared/api/admin.schemas';
import { PaymentPolicyBodySchema, PaymentPolicyResponseSchema } from '@clubos/shared/api/payments.schemas';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf, requireRole } from '../auth/index.js';

const tags = ['admin', 'payments'];

/** `/admin/facilities/:id/payment-policy`: what a facility asks customers to pay online. */
export const paymentPolicyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const service = app.services.paymentPolicies;
  const preHandler = requireRole('staff', 'admin');

  app.get(
    '/admin/facilities/:id/payment-policy',
    {
      preHandler,
      schema: {
        tags,
        summary: "A facility's payment policy (the default: pay at the venue)",
        params: IdParamsSchema,
        response: { 200: PaymentPolicyResponseSchema, ...StandardErrors },
      },
    },
    async (request) => service.get(principalOf(request), request.params.id),
  );

  app.put(
    '/admin/facilities/:id/payment-policy',
    {
      preHandler,
      schema: {
        tags,
        summary:
          'Replace the payment policy: pay in full online, a deposit (deposit_bps or deposit_cents), or at the venue',
        params: IdParamsSchema,
        body: PaymentPolicyBodySchema,
        response: { 200: PaymentPolicyResponseSchema, ...StandardErrors },
      },
    },
    async (request) => service.replace(principalOf(request), request.params.id, request.body),
  );
};
