import { StandardErrors } from '@clubos/shared/api';
import {
  CustomerIdParamsSchema,
  CustomerResponseSchema,
  UpdateMembershipBodySchema,
} from '@clubos/shared/api/customers.schemas';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf, requireRole } from '../auth/index.js';
import { setMembership } from '../customers/customer-membership.js';

/** `PUT /admin/customers/:id/membership`: admins set the tier `member` pricing rules match. */
export const customerMembershipRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { customers } = app.services;

  app.put(
    '/admin/customers/:id/membership',
    {
      preHandler: requireRole('admin'),
      schema: {
        tags: ['admin'],
        summary: "Set a customer's membership tier (null ends it) and optionally vip_status; admins only",
        description:
          'Quotes, availability prices and bookings of the signed-in customer (or made by staff for ' +
          'them) then apply the `member` pricing rules of that tier. Answers the customer profile.',
        params: CustomerIdParamsSchema,
        body: UpdateMembershipBodySchema,
        response: { 200: CustomerResponseSchema, ...StandardErrors },
      },
    },
    async (request) => {
      await setMembership(app.db, request.params.id, request.body);
      return customers.get(principalOf(request), request.params.id);
    },
  );
};
