import { StandardErrors } from '@clubos/shared/api';
import { IdParamsSchema } from '@clubos/shared/api/admin.schemas';
import {
  CardConsentQuerySchema,
  CardConsentSchema,
  CardSetupBodySchema,
  CardSetupResponseSchema,
  NoShowFeeListSchema,
  NoShowFeesQuerySchema,
  SavedCardStatusSchema,
} from '@clubos/shared/api/no-show.schemas';
import { forbidden } from '@clubos/shared/errors';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { assertFacilityAccess, principalOf, requireRole, userPrincipalOf } from '../auth/index.js';

const tags = ['payments'];

/** A customer's card for no-show fees, and the fees staff follow up. */
export const cardOnFileRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { cardOnFile, noShowFees } = app.services;
  const customerOf = (request: Parameters<typeof userPrincipalOf>[0]) => {
    const user = userPrincipalOf(request);
    if (!user.customerId) throw forbidden('Only a customer account can save a card');
    return { customerId: user.customerId, email: user.email };
  };

  app.get(
    '/customers/me/card/consent',
    {
      preHandler: requireRole('customer'),
      schema: {
        tags,
        summary: 'The consent text a customer accepts before saving a card for no-show fees',
        querystring: CardConsentQuerySchema,
        response: { 200: CardConsentSchema, ...StandardErrors },
      },
    },
    async (request) => cardOnFile.askFor(request.query.facility_id),
  );

  app.post(
    '/customers/me/card',
    {
      preHandler: requireRole('customer'),
      schema: {
        tags,
        summary: "Save a card on Stripe's page (Checkout in setup mode), with the consent accepted",
        body: CardSetupBodySchema,
        response: { 201: CardSetupResponseSchema, ...StandardErrors },
      },
    },
    async (request, reply) => {
      const { facility_id, return_url, accept_consent } = request.body;
      reply.code(201);
      return cardOnFile.startSetup(customerOf(request), facility_id, return_url, accept_consent);
    },
  );

  app.get(
    '/customers/me/card',
    {
      preHandler: requireRole('customer'),
      schema: {
        tags,
        summary: 'Whether a card is saved for no-show fees, and the consent given',
        response: { 200: SavedCardStatusSchema, ...StandardErrors },
      },
    },
    async (request) => cardOnFile.status(customerOf(request).customerId),
  );

  app.get(
    '/admin/facilities/:id/no-show-fees',
    {
      preHandler: requireRole('staff', 'admin'),
      schema: {
        tags: ['admin', ...tags],
        summary:
          'No-show fees of a facility, newest first; `status=failed` lists the declined ones to follow up',
        params: IdParamsSchema,
        querystring: NoShowFeesQuerySchema,
        response: { 200: NoShowFeeListSchema, ...StandardErrors },
      },
    },
    async (request) => {
      assertFacilityAccess(principalOf(request), request.params.id);
      const rows = await noShowFees.list(request.params.id, request.query.status);
      return {
        fees: rows.map((f) => ({
          booking_id: f.bookingId,
          amount_cents: f.amountCents,
          currency: f.currency,
          status: f.status,
          failure_code: f.failureCode,
          failure_message: f.failureMessage,
          attempts: f.attempts,
          created_at: f.createdAt.toISOString(),
          updated_at: f.updatedAt.toISOString(),
        })),
      };
    },
  );
};
