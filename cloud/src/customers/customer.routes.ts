import { StandardErrors } from '@clubos/shared/api';
import {
  CustomerErasureSchema,
  CustomerExportSchema,
  CustomerIdParamsSchema,
  CustomerResponseSchema,
  UpdatePreferencesBodySchema,
} from '@clubos/shared/api/customers.schemas';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf, requireRole } from '../auth/index.js';

const tags = ['customers'];
const people = requireRole('customer', 'staff', 'admin');

/** Seed customer endpoints plus the GDPR export and erasure. */
export const customerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const service = app.services.customers;

  app.get(
    '/customers/:id',
    {
      preHandler: people,
      schema: {
        tags,
        summary: 'Customer profile with booking history, upcoming bookings and loyalty points',
        description:
          'Staff see only customers who booked at one of their facilities (else 403), and then only ' +
          'the bookings at their facilities: booking_history, upcoming_bookings and the profile ' +
          'totals (total_bookings, total_spent, total_spent_cents, last_booking_at) are computed from ' +
          'those bookings, counted as the customer record counts them. Admins and the customer see ' +
          "every facility and the record's totals. loyalty_points (10 per hour played: completed " +
          "bookings, or checked-in ones that have ended) is the customer's one balance across all " +
          'venues, the same whoever asks.',
        params: CustomerIdParamsSchema,
        response: { 200: CustomerResponseSchema, ...StandardErrors },
      },
    },
    async (request) => service.get(principalOf(request), request.params.id),
  );

  app.patch(
    '/customers/:id/preferences',
    {
      preHandler: people,
      schema: {
        tags,
        summary: 'Update preferences (partial: absent keys are kept, notifications merge key by key)',
        params: CustomerIdParamsSchema,
        body: UpdatePreferencesBodySchema,
        response: { 200: CustomerResponseSchema, ...StandardErrors },
      },
    },
    async (request) => service.updatePreferences(principalOf(request), request.params.id, request.body),
  );

  app.get(
    '/customers/:id/export',
    {
      preHandler: people,
      schema: {
        tags,
        summary: 'GDPR: everything held about the customer, as JSON (the customer or an admin)',
        params: CustomerIdParamsSchema,
        response: { 200: CustomerExportSchema, ...StandardErrors },
      },
    },
    async (request) => service.export(principalOf(request), request.params.id),
  );

  app.delete(
    '/customers/:id',
    {
      preHandler: people,
      schema: {
        tags,
        summary:
          'GDPR: erase personal data, keep anonymous bookings, cancel future ones and revoke their credentials',
        params: CustomerIdParamsSchema,
        response: { 200: CustomerErasureSchema, ...StandardErrors },
      },
    },
    async (request) => service.erase(principalOf(request), request.params.id),
  );
};
