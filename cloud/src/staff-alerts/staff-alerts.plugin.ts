import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { PeriodicJob } from '../cluster/periodic-work.js';
import { staffAlertsRoutes } from './staff-alerts.routes.js';

/** How often the cloud looks for silent edges; the facility's threshold is in minutes. */
const EDGE_OFFLINE_PASS_MS = 30_000;

/** Staff alerts' routes, and the edge-offline pass (started when ready, stopped on close). */
export const staffAlertsPlugin = fp(
  async (app: FastifyInstance) => {
    const { edgeOffline } = app.services;
    // The lease holder runs the pass (one per deployment: src/cluster/periodic-work.ts).
    let job: PeriodicJob | undefined;
    app.addHook('onReady', async () => {
      job = app.services.periodicWork.every('edge-offline', EDGE_OFFLINE_PASS_MS, () =>
        edgeOffline.pass(new Date()),
      );
    });
    app.addHook('preClose', async () => {
      await job?.stop();
    });
    await app.register(staffAlertsRoutes, { prefix: '/api/v1' });
  },
  { name: 'staff-alerts' },
);
