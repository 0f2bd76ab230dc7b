import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { notificationPreferencesRoutes } from './notification-preferences.routes.js';
import { notificationsRoutes } from './notifications.routes.js';
import { smsWebhookRoutes } from './sms-webhook.routes.js';

/**
 * Customer notifications' lifecycle (every timer belongs to a plugin): the job queue the
 * composition root built starts when the app is ready and stops on close. Without SMTP_URL it is
 * off, logged once, and messages wait in the outbox until a server is configured.
 */
export const notificationsPlugin = fp(
  async (app: FastifyInstance) => {
    const {
      notificationQueue: queue,
      notificationStatus: service,
      smsWebhooks,
      notificationPreferences,
    } = app.services;
    app.log.info(
      service.enabled
        ? 'Email notifications enabled'
        : 'Email notifications disabled: SMTP_URL is not set (messages stay queued in the outbox)',
    );
    app.log.info(
      service.smsEnabled
        ? 'SMS notifications enabled'
        : 'SMS notifications disabled: TWILIO_ACCOUNT_SID is not set (SMS messages stay queued in the outbox)',
    );
    if (queue !== null) {
      app.addHook('onReady', async () => queue.start());
      app.addHook('onClose', async () => queue.stop());
    }
    await app.register(notificationsRoutes, { prefix: '/api/v1', service });
    await app.register(notificationPreferencesRoutes, {
      prefix: '/api/v1',
      service: notificationPreferences,
    });
    await app.register(smsWebhookRoutes, { prefix: '/api/v1', service: smsWebhooks });
  },
  { name: 'notifications' },
);
