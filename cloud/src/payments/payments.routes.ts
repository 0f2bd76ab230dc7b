import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { cardOnFileRoutes } from './card-on-file.routes.js';
import { paymentPolicyRoutes } from './payment-policy.routes.js';
import { receiptsRoutes } from './receipts.routes.js';
import { refundOutboxPlugin } from './refund-outbox.plugin.js';
import { refundPolicyRoutes } from './refund-policy.routes.js';
import { stripeWebhookRoutes } from './stripe-webhook.routes.js';

/**
 * Everything of payments under `/api/v1`: the admin policy routes, the cancellation preview, the
 * card on file and no-show fees, receipts, the Stripe webhook receiver, and the retries of both outboxes.
 */
export const paymentsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(paymentPolicyRoutes);
  await app.register(refundPolicyRoutes);
  await app.register(cardOnFileRoutes);
  await app.register(receiptsRoutes);
  await app.register(stripeWebhookRoutes);
  await app.register(refundOutboxPlugin);
};
