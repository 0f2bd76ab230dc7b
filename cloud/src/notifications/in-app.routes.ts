import type { ServerResponse } from 'node:http';
import { StandardErrors } from '@clubos/shared/api';
import {
  InAppListQuerySchema,
  InAppNotificationListSchema,
  InAppParamsSchema,
  InAppReadSchema,
} from '@clubos/shared/api/in-app-notifications.schemas';
import { forbidden } from '@clubos/shared/errors';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { requireRole, userPrincipalOf } from '../auth/index.js';
import type { ChangeHeadWatcher } from '../site/change-head.watcher.js';

const tags = ['notifications'];

export interface InAppRouteOptions {
  /** Watches each connected customer's newest message id (keyed by customer id). */
  watcher: ChangeHeadWatcher;
  heartbeatMs?: number;
}

function customerOf(request: FastifyRequest): string {
  const user = userPrincipalOf(request);
  if (!user.customerId) throw forbidden('Only a customer account has notifications');
  return user.customerId;
}

/**
 * The customer's in-app notifications: the list (read/unread), marking one read, and a
 * Server-Sent Events stream that says `change` when a new message is written for them. The stream
 * needs the bearer token, so the site reads it with `fetch` (EventSource cannot send headers).
 */
export const inAppRoutes: FastifyPluginAsyncTypebox<InAppRouteOptions> = async (app, opts) => {
  const { inAppNotifications: service } = app.services;
  const customerOnly = requireRole('customer');
  const open = new Set<ServerResponse>();

  app.addHook('preClose', async () => {
    opts.watcher.close();
    for (const res of open) res.end();
    open.clear();
  });

  app.get(
    '/me/notifications',
    {
      preHandler: customerOnly,
      schema: {
        tags,
        summary: 'My notifications, newest first, with the number unread',
        querystring: InAppListQuerySchema,
        response: { 200: InAppNotificationListSchema, ...StandardErrors },
      },
    },
    async (request) => service.list(customerOf(request), request.query.limit ?? 50),
  );

  app.post(
    '/me/notifications/:id/read',
    {
      preHandler: customerOnly,
      schema: {
        tags,
        summary: 'Mark one of my notifications read (again: no change)',
        params: InAppParamsSchema,
        response: { 200: InAppReadSchema, ...StandardErrors },
      },
    },
    async (request) => service.markRead(customerOf(request), request.params.id),
  );

  app.get(
    '/me/notifications/events',
    {
      preHandler: customerOnly,
      schema: {
        tags,
        summary: 'Server-Sent Events: `change` each time a notification is written for me',
        response: { ...StandardErrors },
      },
    },
    async (request, reply) => {
      const customerId = customerOf(request);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      const send = (event: string, data: unknown) =>
        res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      res.write('retry: 1000\n\n');
      send('ready', {});
      open.add(res);
      const unsubscribe = opts.watcher.subscribe(customerId, (head) => send('change', { head }));
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), opts.heartbeatMs ?? 15_000);
      heartbeat.unref();
      request.raw.on('close', () => {
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(res);
      });
    },
  );
};
