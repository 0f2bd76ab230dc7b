import { StandardErrors } from '@clubos/shared/api';
import { CheckoutReturnQuerySchema, CheckoutReturnSchema } from '@clubos/shared/api/payments.schemas';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/** How often holds whose time ran out get their Checkout Session expired at Stripe, by default. */
const EXPIRY_SWEEP_MS = 30_000;

/**
 * `GET /payments/checkout/return`: the site's page after Stripe's hosted page. The Checkout
 * Session id is the payer's proof (unguessable, handed back by Stripe), so it needs no sign-in.
 */
export const checkoutRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const service = app.services.checkoutReturn;
  const expiry = app.services.checkoutExpiry;
  const every = app.config.payments.expirySweepMs ?? EXPIRY_SWEEP_MS;
  const sweep =
    app.services.stripe && every > 0
      ? app.services.periodicWork.every('checkout-expiry', every, () => expiry.sweep())
      : undefined;
  app.addHook('onClose', async () => sweep?.stop());

  app.get(
    '/payments/checkout/return',
    {
      schema: {
        tags: ['payments'],
        summary:
          'Where a checkout stands; with session_id, a paid session confirms the booking (if its webhook has not yet)',
        security: [],
        querystring: CheckoutReturnQuerySchema,
        response: { 200: CheckoutReturnSchema, ...StandardErrors, 503: StandardErrors[400] },
      },
    },
    async (request) => service.returnFrom(request.query),
  );
};
