import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ChangeHeadWatcher } from '../site/change-head.watcher.js';
import { inAppRoutes } from './in-app.routes.js';

export interface InAppPluginOptions {
  /** How often each connected customer's newest message id is read (ms). */
  pollIntervalMs?: number;
  heartbeatMs?: number;
}

/**
 * The in-app channel's routes and its live stream's watcher (one poll per connected customer,
 * shared by their open tabs). A write answered here (a booking, a cancellation) reads the heads
 * at once; writes on another instance or by a job arrive within one interval.
 */
export const inAppPlugin = fp<InAppPluginOptions>(
  async (app: FastifyInstance, opts) => {
    const { inAppNotifications } = app.services;
    const watcher = new ChangeHeadWatcher(
      (customerId) => inAppNotifications.head(customerId),
      opts.pollIntervalMs ?? 500,
      (error) => app.log.warn({ err: error }, 'in-app notifications: reading a customer’s head failed'),
    );
    app.addHook('onResponse', async (request, reply) => {
      if (request.method !== 'GET' && request.method !== 'HEAD' && reply.statusCode < 400) watcher.nudge();
    });
    await app.register(inAppRoutes, {
      prefix: '/api/v1',
      watcher,
      ...(opts.heartbeatMs ? { heartbeatMs: opts.heartbeatMs } : {}),
    });
  },
  { name: 'in-app-notifications' },
);
