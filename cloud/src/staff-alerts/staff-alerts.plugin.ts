import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { staffAlertsRoutes } from './staff-alerts.routes.js';

/** How often the cloud looks for silent edges; the facility's threshold is in minutes. */
const EDGE_OFFLINE_PASS_MS = 30_000;

/** Staff alerts' routes, and the edge-offline and integration passes (started when ready, stopped on close). */
export const staffAlertsPlugin = fp(
  async (app: FastifyInstance) => {
    const { edgeOffline, integrationFailures } = app.services;
    let timer: NodeJS.Timeout | null = null;
    let passing: Promise<unknown> = Promise.resolve();
    app.addHook('onReady', async () => {
      timer = setInterval(() => {
        const now = new Date();
        passing = Promise.all([
          edgeOffline.pass(now).catch((error) => app.log.warn({ err: error }, 'edge offline pass failed')),
          integrationFailures
            .pass(now)
            .catch((error) => app.log.warn({ err: error }, 'integration failure pass failed')),
        ]);
      }, EDGE_OFFLINE_PASS_MS);
      timer.unref();
    });
    app.addHook('preClose', async () => {
      if (timer) clearInterval(timer);
      await passing;
    });
    await app.register(staffAlertsRoutes, { prefix: '/api/v1' });
  },
  { name: 'staff-alerts' },
);
