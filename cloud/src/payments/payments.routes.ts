import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { cardOnFileRoutes } from './card-on-file.routes.js';
import { checkoutRoutes } from './checkout.routes.js';
import { paymentPolicyRoutes } from './payment-policy.routes.js';
import { paymentReportsRoutes } from './payment-reports.routes.js';
import { receiptsRoutes } from './receipts.routes.js';
import { reconciliationRoutes } from './reconciliation.routes.js';
import { reconciliationSchedule } from './reconciliation.schedule.js';
import { refundOutboxPlugin } from './refund-outbox.plugin.js';
import { refundPolicyRoutes } from './refund-policy.routes.js';
import { stripeWebhookRoutes } from './stripe-webhook.routes.js';
import { terminalPaymentRoutes } from './terminal-payment.routes.js';

/**
 * Everything of payments under `/api/v1`: the admin policy and money views, the Stripe webhook
 * receiver and the checkout return, the cancellation preview, the card on file and no-show fees,
 * receipts, the retries of refunds and no-show fees, and walk-ins paid on the reader.
 */
export const paymentsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(paymentPolicyRoutes);
  await app.register(paymentReportsRoutes);
  await app.register(stripeWebhookRoutes);
  await app.register(reconciliationRoutes);
  await app.register(reconciliationSchedule);
  await app.register(checkoutRoutes);
  await app.register(refundPolicyRoutes);
  await app.register(cardOnFileRoutes);
  await app.register(receiptsRoutes);
  await app.register(refundOutboxPlugin);
  await app.register(terminalPaymentRoutes);
};
