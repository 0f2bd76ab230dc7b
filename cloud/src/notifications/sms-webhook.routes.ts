import { StandardErrors } from '@clubos/shared/api';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { SmsWebhookService } from './sms-webhook.service.js';

const tags = ['notifications'];
const FormSchema = Type.Record(Type.String(), Type.String());

/** Twilio posts forms; every value is kept as sent (the signature is over them). */
function formOf(body: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body));
}

/**
 * Twilio's webhooks (no login; signed): `POST /webhooks/twilio/status` (delivery status callbacks)
 * and `POST /webhooks/twilio/sms` (texts to our number; STOP/START). A bad signature is a 403.
 */
export const smsWebhookRoutes: FastifyPluginAsyncTypebox<{ service: SmsWebhookService }> = async (
  app,
  opts,
) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, formOf(String(body))),
  );
  const signed = (request: { headers: Record<string, unknown>; url: string; body: unknown }) => {
    const signature = request.headers['x-twilio-signature'];
    const params = (request.body ?? {}) as Record<string, string>;
    opts.service.verify(typeof signature === 'string' ? signature : undefined, request.url, params);
    return params;
  };

  app.post(
    '/webhooks/twilio/status',
    {
      schema: {
        tags,
        summary: 'Twilio status callback of a customer SMS (X-Twilio-Signature)',
        security: [],
        body: FormSchema,
        response: { 200: Type.Object({ updated: Type.Boolean() }), ...StandardErrors },
      },
    },
    async (request) => opts.service.status(signed(request)),
  );

  app.post(
    '/webhooks/twilio/sms',
    {
      schema: {
        tags,
        summary: 'A text to our number (STOP/START opt the number out of or back into SMS)',
        security: [],
        body: FormSchema,
      },
    },
    async (request, reply) => {
      await opts.service.inbound(signed(request));
      // Twilio sends the carrier-required auto-replies itself; we add none.
      return reply.type('text/xml').send('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    },
  );
};
