import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { staffAlertsRoutes } from './staff-alerts.routes.js';

/** How often the cloud looks for silent edges; the facility's threshold is in minutes. */
const EDGE_OFFLINE_PASS_MS = 30_000;

/** Staff alerts' routes, and the edge-offline pass (started when ready, stopped on close). */
export const staffAlertsPlugin = fp(
  async (app: FastifyInstance) => {
    const { edgeOffline } = app.services;
    let timer: NodeJS.Timeout | null = null;
    let passing: Promise<unknown> = Promise.resolve();
    app.addHook('onReady', async () => {
      timer = setInterval(() => {
        passing = edgeOffline
          .pass(new Date())
          .catch((error) => app.log.warn({ err: error }, 'edge offline pass failed'));
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
