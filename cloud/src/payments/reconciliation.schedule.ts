import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import cron, { type ScheduledTask } from 'node-cron';

/**
 * Runs the reconciliation of yesterday (UTC) on `STRIPE_RECONCILE_CRON` (default 03:30 UTC), only
 * with a Stripe key; `off` turns it off. Overlapping runs are skipped; a failure is logged, and the
 * next night (or `POST /admin/payments/reconciliation/run`) tries again.
 */
export const reconciliationSchedule: FastifyPluginAsync = fp(async (app) => {
  const expression = app.config.payments.reconcileCron ?? '30 3 * * *';
  if (app.services.stripe === null || expression === 'off') return;
  let task: ScheduledTask | undefined;
  app.addHook('onReady', async () => {
    task = cron.schedule(
      expression,
      async () => {
        // Every instance keeps the schedule; the periodic-work lease holder runs it.
        if (!app.services.leaderLease.held) return;
        try {
          const report = await app.services.reconciliation.runYesterday();
          app.log.info(
            { date: report.date, differences: report.differences.length },
            'payments reconciliation done',
          );
        } catch (error) {
          app.log.warn({ err: error }, 'payments reconciliation failed');
        }
      },
      { timezone: 'UTC', noOverlap: true, name: 'payments-reconciliation' },
    );
  });
  app.addHook('onClose', async () => {
    await task?.destroy();
  });
});
