import type { FastifyPluginAsync } from 'fastify';

/** How often refunds that Stripe did not answer are looked at (each waits its own backoff). */
const REFUND_RETRY_SWEEP_MS = 15_000;

/** Retries refunds and no-show fees Stripe did not answer, while the app is up with online payment on. */
export const refundOutboxPlugin: FastifyPluginAsync = async (app) => {
  if (!app.services.stripe) return;
  const { refundOutbox, noShowFees } = app.services;
  const sweep = app.services.periodicWork.every('payments-retry', REFUND_RETRY_SWEEP_MS, () =>
    Promise.all([refundOutbox.retryDue(), noShowFees.retryDue()]),
  );
  app.addHook('onClose', async () => sweep.stop());
};
