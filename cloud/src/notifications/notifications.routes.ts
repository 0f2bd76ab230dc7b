import { StandardErrors } from '@clubos/shared/api';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireRole } from '../auth/access.js';
import type { NotificationStatusService } from './notification-status.service.js';
import {
  MessageParamsSchema,
  RetrySchema,
  StatusQuerySchema,
  StatusSchema,
  UnsubscribeQuerySchema,
} from './notifications.schemas.js';

const tags = ['notifications'];

function esc(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function htmlPage(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${esc(title)}</title></head><body style="font-family:sans-serif"><h1>${esc(title)}</h1>${body}</body></html>`;
}

/** Admin status and retry of customer messages; the waitlist offer's link (no login). */
export const notificationsRoutes: FastifyPluginAsyncTypebox<{ service: NotificationStatusService }> = async (
  app,
  opts,
) => {
  const adminOnly = requireRole('admin');
  // A mail client's one-click POST is a form (`List-Unsubscribe=One-Click`); the token is in the URL.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );

  app.get(
    '/admin/notifications/status',
    {
      preHandler: adminOnly,
      schema: {
        tags,
        summary: 'Customer messages: counts per status and the failed ones with their last error',
        querystring: StatusQuerySchema,
        response: { 200: StatusSchema, ...StandardErrors },
      },
    },
    async (request) => opts.service.status(request.query.limit ?? 50),
  );

  app.post(
    '/admin/notifications/messages/:id/retry',
    {
      preHandler: adminOnly,
      schema: {
        tags,
        summary: 'Send a failed message again',
        params: MessageParamsSchema,
        response: { 200: RetrySchema, ...StandardErrors },
      },
    },
    async (request) => ({ message: await opts.service.retry(request.params.id) }),
  );

  // The offer email's link. GET only shows the button (mail scanners follow links); the tap POSTs.
  app.get(
    '/notifications/waitlist-offer',
    {
      schema: {
        tags,
        summary: 'The waitlist offer page of an email link (no login)',
        querystring: UnsubscribeQuerySchema,
      },
    },
    async (request, reply) => {
      opts.service.offerOf(request.query.token);
      const action = `?token=${encodeURIComponent(request.query.token)}`;
      return reply
        .type('text/html; charset=utf-8')
        .send(
          htmlPage(
            'Your offer',
            `<form method="post" action="${esc(action)}"><button type="submit" style="font-size:1.2em;padding:12px 20px">Accept this booking</button></form>`,
          ),
        );
    },
  );
  app.post(
    '/notifications/waitlist-offer',
    {
      schema: {
        tags,
        summary: 'Accept a waitlist offer from its email link (no login)',
        querystring: UnsubscribeQuerySchema,
      },
    },
    async (request, reply) => {
      const booking = await opts.service.acceptOffer(request.query.token);
      return reply
        .type('text/html; charset=utf-8')
        .send(
          htmlPage(
            'Booked',
            `<p>Your booking ${esc(booking.reference_code ?? booking.id)} is confirmed; the confirmation email with your door PIN is on its way.</p>`,
          ),
        );
    },
  );

  // The "10 minutes left" text's link: GET shows the button (link previews follow links), the tap POSTs.
  app.get(
    '/notifications/extend',
    {
      schema: {
        tags,
        summary: 'The extend page of a "10 minutes left" link (no login)',
        querystring: UnsubscribeQuerySchema,
      },
    },
    async (request, reply) => {
      opts.service.extendOf(request.query.token);
      const action = `?token=${encodeURIComponent(request.query.token)}`;
      return reply
        .type('text/html; charset=utf-8')
        .send(
          htmlPage(
            'Keep playing?',
            `<form method="post" action="${esc(action)}"><button type="submit" style="font-size:1.2em;padding:12px 20px">Extend my session</button></form>`,
          ),
        );
    },
  );
  app.post(
    '/notifications/extend',
    {
      schema: {
        tags,
        summary: 'Extend a session by the next slot from its link (no login)',
        querystring: UnsubscribeQuerySchema,
      },
    },
    async (request, reply) => {
      const booking = await opts.service.extend(
        request.query.token,
        `${request.protocol}://${request.host}/`,
      );
      const due = booking.balance_due;
      const pay = due?.checkout_url ? `<p><a href="${esc(due.checkout_url)}">Pay the difference</a></p>` : '';
      return reply
        .type('text/html; charset=utf-8')
        .send(
          htmlPage(
            'Extended',
            `<p>Your session ${esc(booking.reference_code ?? booking.id)} now ends at ${esc(booking.end_time)}.</p>${pay}`,
          ),
        );
    },
  );
};
