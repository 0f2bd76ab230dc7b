import type { FastifyPluginAsync } from 'fastify';

/** How often refunds that Stripe did not answer are looked at (each waits its own backoff). */
const REFUND_RETRY_SWEEP_MS = 15_000;

/** Runs the refund outbox while the app is up, when online payment is on. */
export const refundOutboxPlugin: FastifyPluginAsync = async (app) => {
  if (!app.services.stripe) return;
  const worker = app.services.refundOutbox;
  let running: Promise<unknown> | null = null;
  const sweep = setInterval(() => {
    if (running) return;
    running = worker
      .retryDue()
      .catch((error) => app.log.warn({ err: error }, 'refund outbox: sweep failed'))
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
