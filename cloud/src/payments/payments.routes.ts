import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { paymentPolicyRoutes } from './payment-policy.routes.js';
import { stripeWebhookRoutes } from './stripe-webhook.routes.js';
import { terminalPaymentRoutes } from './terminal-payment.routes.js';

/** Everything of payments under `/api/v1`: the admin policy routes, the Stripe webhook receiver, and walk-ins paid on the reader. */
export const paymentsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(paymentPolicyRoutes);
  await app.register(stripeWebhookRoutes);
  await app.register(terminalPaymentRoutes);
};
