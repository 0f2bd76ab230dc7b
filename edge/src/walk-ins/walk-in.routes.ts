import { WalkInAttentionSchema, WalkInBodySchema, WalkInResultSchema } from '@clubos/shared/api/edge-lan';
import { idempotencyKeyOf } from '@clubos/shared/http';
import { parseInstant } from '@clubos/shared/time';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, allow } from '../auth/auth.plugin.js';
import { walkInsByReconciliation } from '../bookings/booking.repository.js';
import { toBookingResponse } from '../bookings/booking-response.js';
import type { EdgeDatabase } from '../db/database.js';
import type { IdempotencyService } from '../idempotency/idempotency.service.js';
import type { WalkInPaymentService } from '../payments/walk-in-payment.service.js';

/** Walk-in sales for the kiosk and the console, and the staff list of walk-ins needing attention. */
export const walkInRoutes: FastifyPluginAsyncTypebox<{
  walkInPayments: WalkInPaymentService;
  database: EdgeDatabase;
  idempotency: IdempotencyService;
}> = async (app, { walkInPayments, database, idempotency }) => {
  app.post(
    '/walk-ins',
    {
      preHandler: allow('kiosk', 'staff'),
      schema: { body: WalkInBodySchema, response: { 201: WalkInResultSchema } },
    },
    async (request, reply) => {
      const body = request.body;
      const start = parseInstant(body.start_time, 'start_time');
      const response = await idempotency.run(
        actorOf(request),
        idempotencyKeyOf(request.headers['idempotency-key']),
        body,
        async () => {
          // At a card-paying venue: paid on the reader (payment_id) or, offline, "to collect".
          const result = await walkInPayments.sell(
            {
              simulator_id: body.simulator_id,
              start,
              duration_minutes: body.duration,
              customer: body.customer ?? {},
              sold_by: actorOf(request),
            },
            body.payment_id,
          );
          return {
            status: 201,
            body: {
              booking: toBookingResponse(result.booking),
              mode: result.mode,
              provisional: result.mode === 'provisional',
              message: result.message,
              horizon: result.horizon === null ? null : new Date(result.horizon).toISOString(),
              total_cents: result.quote.total_cents,
              qr_code: result.credentials.qr_code,
              access_code: result.credentials.access_code,
              valid_from: new Date(result.credentials.valid_from).toISOString(),
              valid_until: new Date(result.credentials.valid_until).toISOString(),
              doors: result.credentials.doors,
              ...(result.payment ? { payment: result.payment } : {}),
            },
          };
        },
      );
      return reply.code(response.status as 201).send(response.body);
    },
  );

  app.get(
    '/walk-ins/attention',
    {
      preHandler: allow('staff'),
      schema: { response: { 200: WalkInAttentionSchema } },
    },
    async () => ({
      bookings: walkInsByReconciliation(database.db, ['pending', 'moved', 'flagged']).map(toBookingResponse),
    }),
  );
};
