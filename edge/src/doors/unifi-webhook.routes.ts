import { DomainError } from '@clubos/shared/errors';
import type { FastifyPluginAsync } from 'fastify';
import type { UnifiWebhookService } from './unifi-webhook.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: string;
  }
}

/**
 * `POST /unifi/webhooks`: deliveries from the UniFi Access controller. No staff or kiosk auth: the
 * HMAC signature over the raw body is the proof, so this plugin (encapsulated) keeps the raw text
 * before JSON parsing. Answers at once; the controller gives a receiver 5 s.
 */
export const unifiWebhookRoutes: FastifyPluginAsync<{ webhooks: UnifiWebhookService | null }> = async (
  app,
  { webhooks },
) => {
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: 256 * 1024 },
    (request, body, done) => {
      const raw = String(body);
      request.rawBody = raw;
      try {
        done(null, raw === '' ? {} : JSON.parse(raw));
      } catch {
        done(new DomainError('BAD_REQUEST', 'body is not valid JSON', { field: 'body' }), undefined);
      }
    },
  );

  app.post('/unifi/webhooks', async (request) => {
    if (webhooks === null)
      throw new DomainError('NOT_READY', 'UniFi webhooks are not enabled on this edge (UNIFI_WEBHOOK_URL)');
    const signature = request.headers.signature;
    const check = webhooks.verify(request.rawBody ?? '', Array.isArray(signature) ? signature[0] : signature);
    if (!check.ok) {
      if (!webhooks.registered) throw new DomainError('NOT_READY', check.reason);
      throw new DomainError('UNAUTHORIZED', `webhook refused: ${check.reason}`, { field: 'signature' });
    }
    const body = request.body;
    const alerted = typeof body === 'object' && body !== null ? webhooks.handle(body) : false;
    return { ok: true, alerted };
  });
};
