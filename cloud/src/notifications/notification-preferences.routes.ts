import { StandardErrors } from '@clubos/shared/api';
import {
  NotificationPreferencesSchema,
  PreferencesTokenQuerySchema,
  UnsubscribeKindQuerySchema,
  UpdateNotificationPreferencesSchema,
} from '@clubos/shared/api/notification-preferences.schemas';
import { forbidden } from '@clubos/shared/errors';
import { KIND_LABELS } from '@clubos/shared/notifications';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { requireRole, userPrincipalOf } from '../auth/index.js';
import type { NotificationPreferencesService } from './notification-preferences.service.js';

const tags = ['notifications'];

function customerOf(request: FastifyRequest): string {
  const user = userPrincipalOf(request);
  if (!user.customerId) throw forbidden('Only a customer account has notification preferences');
  return user.customerId;
}

function esc(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${esc(title)}</title></head><body style="font-family:sans-serif;max-width:40em;margin:2em auto"><h1>${esc(title)}</h1>${body}</body></html>`;
}

const labelOf = (kind: string) => (KIND_LABELS as Record<string, string>)[kind] ?? kind;

/**
 * A customer's channels per message kind: signed in (`/me/notification-preferences`), from an
 * email's link without login (`/notifications/preferences?token=`), and the per-kind unsubscribe
 * link (GET shows one button, since mail scanners follow links; POST, or RFC 8058's one-click, stops it).
 */
export const notificationPreferencesRoutes: FastifyPluginAsyncTypebox<{
  service: NotificationPreferencesService;
}> = async (app, { service }) => {
  // A mail client's one-click POST and the page's button are forms; the token is in the URL.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );
  const customerOnly = requireRole('customer');
  const response = { 200: NotificationPreferencesSchema, ...StandardErrors };

  app.get(
    '/me/notification-preferences',
    { preHandler: customerOnly, schema: { tags, summary: 'My channels per message kind', response } },
    async (request) => service.view(customerOf(request)),
  );
  app.put(
    '/me/notification-preferences',
    {
      preHandler: customerOnly,
      schema: {
        tags,
        summary: 'Choose channels per kind (the kinds named are replaced; the door PIN keeps email or SMS)',
        body: UpdateNotificationPreferencesSchema,
        response,
      },
    },
    async (request) => service.update(customerOf(request), request.body),
  );

  app.get(
    '/notifications/preferences',
    {
      schema: {
        tags,
        summary: 'Channels per kind of the customer an email link names (no login)',
        querystring: PreferencesTokenQuerySchema,
        response,
      },
    },
    async (request) => service.view(await service.customerOfToken(request.query.token)),
  );
  app.put(
    '/notifications/preferences',
    {
      schema: {
        tags,
        summary: 'Choose channels per kind from an email link (no login)',
        querystring: PreferencesTokenQuerySchema,
        body: UpdateNotificationPreferencesSchema,
        response,
      },
    },
    async (request) => service.update(await service.customerOfToken(request.query.token), request.body),
  );

  app.get(
    '/notifications/unsubscribe',
    {
      schema: {
        tags,
        summary: 'The unsubscribe page of one message kind (signed link, no login)',
        querystring: UnsubscribeKindQuerySchema,
      },
    },
    async (request, reply) => {
      const kind = service.kindOf(request.query.kind);
      await service.customerOfToken(request.query.token);
      const token = encodeURIComponent(request.query.token);
      const action = `?token=${token}&kind=${encodeURIComponent(kind)}`;
      return reply.type('text/html; charset=utf-8').send(
        page(
          'Unsubscribe',
          `<p>Stop emails and texts of this kind: <strong>${esc(labelOf(kind))}</strong>.</p>
<form method="post" action="${esc(action)}"><input type="hidden" name="from" value="page"><button type="submit" style="font-size:1.2em;padding:12px 20px">Unsubscribe from ${esc(labelOf(kind).toLowerCase())}</button></form>
<p><a href="/preferences?token=${esc(token)}">Manage all your notifications</a></p>`,
        ),
      );
    },
  );
  app.post(
    '/notifications/unsubscribe',
    {
      schema: {
        tags,
        summary: 'Unsubscribe from one message kind: the page’s button, or RFC 8058 one-click',
        querystring: UnsubscribeKindQuerySchema,
      },
    },
    async (request, reply) => {
      const done = await service.unsubscribe(request.query.token, request.query.kind);
      if (typeof request.body !== 'string' || !request.body.includes('from=page')) {
        return { unsubscribed: true, kind: done.kind };
      }
      const token = esc(encodeURIComponent(request.query.token));
      return reply.type('text/html; charset=utf-8').send(
        page(
          'Unsubscribed',
          `<p>${esc(done.email)} will get no more ${esc(labelOf(done.kind).toLowerCase())} by email or text. Confirmations and changes to your bookings (they carry your door PIN) still arrive.</p>
<p><a href="/preferences?token=${token}">Manage all your notifications</a></p>`,
        ),
      );
    },
  );
};
