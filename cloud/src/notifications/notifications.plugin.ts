import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { notificationsRoutes } from './notifications.routes.js';

/**
 * Customer notifications' lifecycle (every timer belongs to a plugin): the job queue the
 * composition root built starts when the app is ready and stops on close. Without SMTP_URL it is
 * off, logged once, and messages wait in the outbox until a server is configured.
 */
export const notificationsPlugin = fp(
  async (app: FastifyInstance) => {
    const { notificationQueue: queue, notificationStatus: service } = app.services;
    if (queue === null) {
      app.log.info('Email notifications disabled: SMTP_URL is not set (messages stay queued in the outbox)');
    } else {
      app.addHook('onReady', async () => queue.start());
      app.addHook('onClose', async () => queue.stop());
      app.log.info('Email notifications enabled');
    }
    await app.register(notificationsRoutes, { prefix: '/api/v1', service });
  },
  { name: 'notifications' },
);
