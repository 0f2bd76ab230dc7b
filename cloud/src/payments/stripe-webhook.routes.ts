import { StandardErrors } from '@clubos/shared/api';
import { StripeWebhookResponseSchema } from '@clubos/shared/api/payments.schemas';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/** Stored but never tried events (a crash right after the acknowledgement) are picked up this often. */
const UNTRIED_SWEEP_MS = 30_000;

/**
 * `POST /payments/stripe/webhook`: the signature is checked against the raw bytes, so this plugin
 * keeps the body as a Buffer (its own content-type parser, scoped to this route). The event is
 * stored and applied with the events that arrive alongside it, in one transaction, before the 200.
 */
export const stripeWebhookRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const service = app.services.stripeWebhooks;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.post(
    '/payments/stripe/webhook',
    {
      schema: {
        tags: ['payments'],
        summary:
          'Stripe webhook events (signed with STRIPE_WEBHOOK_SECRET; a repeat is acknowledged, not re-applied)',
        security: [],
        response: { 200: StripeWebhookResponseSchema, ...StandardErrors, 503: StandardErrors[400] },
      },
    },
    async (request) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const signature = request.headers['stripe-signature'];
      const { eventId, duplicate, applied } = await service.accept(
        raw,
        typeof signature === 'string' ? signature : undefined,
      );
      // A repeat whose first delivery was never applied, or an event that failed to apply: retried.
      if (!applied) service.applySoon(eventId);
      return { received: true as const, duplicate };
    },
  );

  const sweep = app.services.periodicWork.every('stripe-untried-events', UNTRIED_SWEEP_MS, () =>
    service.applyUntried(),
  );
  app.addHook('onClose', async () => {
    await sweep.stop();
    await service.idle();
  });
};
