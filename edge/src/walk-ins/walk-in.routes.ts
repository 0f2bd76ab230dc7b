import { DomainError } from '@clubos/shared/errors';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { actorOf, allow } from '../auth/auth.plugin.js';
import { walkInsByReconciliation } from '../bookings/booking.repository.js';
import { BookingResponse, toBookingResponse } from '../bookings/booking.schema.js';
import type { EdgeDatabase } from '../db/database.js';
import type { IdempotencyService } from '../idempotency/idempotency.service.js';
import type { WalkInService } from './walk-in.service.js';

const WalkInBody = Type.Object({
  simulator_id: Type.String({ format: 'uuid' }),
  start_time: Type.String({ format: 'date-time' }),
  duration: Type.Integer({ minimum: 15, maximum: 480 }),
  customer: Type.Optional(
    Type.Object({
      first_name: Type.Optional(Type.String({ maxLength: 255 })),
      last_name: Type.Optional(Type.String({ maxLength: 255 })),
      email: Type.Optional(Type.String({ maxLength: 255 })),
      phone: Type.Optional(Type.String({ maxLength: 20 })),
    }),
  ),
});
type WalkInBody = {
  simulator_id: string;
  start_time: string;
  duration: number;
  customer?: { first_name?: string; last_name?: string; email?: string; phone?: string };
};

const WalkInResponse = Type.Object({
  booking: BookingResponse,
  mode: Type.Union([Type.Literal('online'), Type.Literal('offline'), Type.Literal('provisional')]),
  provisional: Type.Boolean(),
  message: Type.String(),
  horizon: Type.Union([Type.String(), Type.Null()]),
  total_cents: Type.Integer(),
  /** The signed door token (CB1) to show as the QR code: the door scanners admit it offline. */
  qr_code: Type.String(),
  /** The six-digit door PIN (UniFi keypads), shown with the QR code. */
  access_code: Type.String({ pattern: '^[0-9]{6}$' }),
  /** When both open doors: 15 minutes before the start to 15 minutes after the end. */
  valid_from: Type.String({ format: 'date-time' }),
  valid_until: Type.String({ format: 'date-time' }),
  doors: Type.Array(Type.String()),
});

/** Walk-in sales for the kiosk and the console, and the staff list of walk-ins needing attention. */
export const walkInRoutes: FastifyPluginAsync<{
  walkIns: WalkInService;
  database: EdgeDatabase;
  idempotency: IdempotencyService;
}> = async (app, { walkIns, database, idempotency }) => {
  app.post(
    '/walk-ins',
    { preHandler: allow('kiosk', 'staff'), schema: { body: WalkInBody, response: { 201: WalkInResponse } } },
    async (request, reply) => {
      const body = request.body as WalkInBody;
      const start = Date.parse(body.start_time);
      if (Number.isNaN(start))
        throw new DomainError('VALIDATION_FAILED', 'start_time is not an instant', { field: 'start_time' });
      const key = request.headers['idempotency-key'];
      const response = await idempotency.run(
        actorOf(request),
        typeof key === 'string' ? key : undefined,
        body,
        async () => {
          const result = await walkIns.sell({
            simulator_id: body.simulator_id,
            start,
            duration_minutes: body.duration,
            customer: body.customer ?? {},
            sold_by: actorOf(request),
          });
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
      schema: { response: { 200: Type.Object({ bookings: Type.Array(BookingResponse) }) } },
    },
    async () => ({
      bookings: walkInsByReconciliation(database.db, ['pending', 'moved', 'flagged']).map(toBookingResponse),
    }),
  );
};
