import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { paymentPolicyRoutes } from './payment-policy.routes.js';
import { refundOutboxPlugin } from './refund-outbox.plugin.js';
import { refundPolicyRoutes } from './refund-policy.routes.js';
import { stripeWebhookRoutes } from './stripe-webhook.routes.js';

/**
 * Everything of payments under `/api/v1`: the admin policy routes, the cancellation preview, the
 * Stripe webhook receiver, and the refund outbox's retries.
 */
export const paymentsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(paymentPolicyRoutes);
  await app.register(refundPolicyRoutes);
  await app.register(stripeWebhookRoutes);
  await app.register(refundOutboxPlugin);
};
