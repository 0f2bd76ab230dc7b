import type { FastifyPluginAsync } from 'fastify';

/** How often refunds that Stripe did not answer are looked at (each waits its own backoff). */
const REFUND_RETRY_SWEEP_MS = 15_000;

/** Retries refunds and no-show fees Stripe did not answer, while the app is up with online payment on. */
export const refundOutboxPlugin: FastifyPluginAsync = async (app) => {
  if (!app.services.stripe) return;
  const { refundOutbox, noShowFees } = app.services;
  let running: Promise<unknown> | null = null;
  const sweep = setInterval(() => {
    if (running) return;
    running = Promise.all([refundOutbox.retryDue(), noShowFees.retryDue()])
      .catch((error) => app.log.warn({ err: error }, 'payments retry: sweep failed'))
      .finally(() => {
        running = null;
      });
  }, REFUND_RETRY_SWEEP_MS);
  sweep.unref();
  app.addHook('onClose', async () => {
    clearInterval(sweep);
    await running;
  });
};
