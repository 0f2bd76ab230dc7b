import { CHECK_IN_METHODS } from '@clubos/shared/sync';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { actorOf, allow } from '../auth/auth.plugin.js';
import { BookingResponse, toBookingResponse } from './booking.schema.js';
import type { BookingService } from './booking.service.js';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Lookup = Type.Object({
  code: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
  qr: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
});
const CheckIn = Type.Object({
  method: Type.Union(CHECK_IN_METHODS.map((m) => Type.Literal(m))),
});
const Schedule = Type.Object({
  date: Type.String(),
  timezone: Type.String(),
  bays: Type.Array(
    Type.Object({
      simulator_id: Type.String(),
      name: Type.String(),
      bay_number: Type.Union([Type.Integer(), Type.Null()]),
      status: Type.String(),
      bookings: Type.Array(BookingResponse),
    }),
  ),
});

/** Lookup, check-in and the day's schedule: answered from the replica, identical offline. */
export const bookingRoutes: FastifyPluginAsync<{ bookings: BookingService }> = async (app, { bookings }) => {
  app.get(
    '/bookings/lookup',
    {
      preHandler: allow('kiosk', 'staff'),
      schema: { querystring: Lookup, response: { 200: BookingResponse } },
    },
    async (request) => toBookingResponse(bookings.lookup(request.query as { code?: string; qr?: string })),
  );

  app.get(
    '/bookings/:id',
    { preHandler: allow('kiosk', 'staff'), schema: { params: Id, response: { 200: BookingResponse } } },
    async (request) => toBookingResponse(bookings.get((request.params as { id: string }).id)),
  );

  app.post(
    '/bookings/:id/checkin',
    {
      preHandler: allow('kiosk', 'staff'),
      schema: { params: Id, body: CheckIn, response: { 200: BookingResponse } },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const { method } = request.body as { method: (typeof CHECK_IN_METHODS)[number] };
      return toBookingResponse(bookings.checkIn(id, method, actorOf(request)));
    },
  );

  app.get(
    '/schedule/today',
    {
      preHandler: allow('staff', 'kiosk'),
      schema: {
        querystring: Type.Object({ date: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })) }),
        response: { 200: Schedule },
      },
    },
    async (request) => {
      const schedule = bookings.schedule((request.query as { date?: string }).date);
      return {
        ...schedule,
        bays: schedule.bays.map((b) => ({ ...b, bookings: b.bookings.map(toBookingResponse) })),
      };
    },
  );
};
