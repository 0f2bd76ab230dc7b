import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { PeriodicJob } from '../cluster/periodic-work.js';
import { staffAlertsRoutes } from './staff-alerts.routes.js';

/** How often the cloud looks for silent edges; the facility's threshold is in minutes. */
const EDGE_OFFLINE_PASS_MS = 30_000;

/** Staff alerts' routes, and the edge-offline and integration passes (started when ready, stopped on close). */
export const staffAlertsPlugin = fp(
  async (app: FastifyInstance) => {
    const { edgeOffline, integrationFailures } = app.services;
    // The lease holder runs the passes (one per deployment: src/cluster/periodic-work.ts).
    let jobs: PeriodicJob[] = [];
    app.addHook('onReady', async () => {
      jobs = [
        app.services.periodicWork.every('edge-offline', EDGE_OFFLINE_PASS_MS, () =>
          edgeOffline.pass(new Date()),
        ),
        app.services.periodicWork.every('integration-failures', EDGE_OFFLINE_PASS_MS, () =>
          integrationFailures.pass(new Date()),
        ),
      ];
    });
    app.addHook('preClose', async () => {
      await Promise.all(jobs.map((job) => job.stop()));
    });
    await app.register(staffAlertsRoutes, { prefix: '/api/v1' });
  },
  { name: 'staff-alerts' },
);
