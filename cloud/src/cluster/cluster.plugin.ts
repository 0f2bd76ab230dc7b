import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ChangeNotifyListener } from './change-notify.listener.js';
import type { PeriodicJob } from './periodic-work.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Set on SIGTERM: /health answers 503 so the load balancer sends nothing new here. */
    draining: { active: boolean };
  }
}

/**
 * This instance's part in a deployment of several (docs/decisions/012-several-cloud-instances.md):
 * it takes part in the periodic-work lease, and on PostgreSQL listens for change-log commits of
 * every instance so the live pushes held here wake at once. Both stop on close.
 */
export const clusterPlugin = fp(
  async (app: FastifyInstance) => {
    const { leaderLease: lease, changeLog } = app.services;
    const { databaseUrl, cluster } = app.config;
    app.decorate('draining', { active: false });
    const listener = databaseUrl
      ? new ChangeNotifyListener({
          url: databaseUrl,
          instanceId: cluster.instanceId,
          onChange: (facilityId) => changeLog.appended(facilityId),
          onError: (error) => app.log.warn({ err: error }, 'change notifications: connection lost'),
        })
      : null;
    lease.on('change', (held) =>
      app.log.info({ instance: cluster.instanceId, leading: held }, 'periodic-work lease changed'),
    );
    let purge: PeriodicJob | undefined;
    app.addHook('onReady', async () => {
      await listener?.start();
      await lease.start();
      purge = app.services.periodicWork.every('rate-counters-purge', 10 * 60_000, () =>
        app.services.rateCounters.purge(new Date()),
      );
    });
    // Registered before the timers' plugins, so it closes after them (close hooks run in reverse).
    app.addHook('onClose', async () => {
      await purge?.stop();
      await listener?.stop();
      await lease.stop();
    });
  },
  { name: 'cluster' },
);
