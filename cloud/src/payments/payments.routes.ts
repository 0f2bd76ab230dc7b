import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { checkoutRoutes } from './checkout.routes.js';
import { paymentPolicyRoutes } from './payment-policy.routes.js';
import { stripeWebhookRoutes } from './stripe-webhook.routes.js';

/** Everything of payments under `/api/v1`: the admin policy routes, the Stripe webhook receiver and the checkout return. */
export const paymentsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(paymentPolicyRoutes);
  await app.register(stripeWebhookRoutes);
  await app.register(checkoutRoutes);
};
