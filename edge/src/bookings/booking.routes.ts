import {
  BookingLookupQuerySchema,
  EdgeBookingIdParamsSchema,
  EdgeBookingSchema,
  EdgeCheckInBodySchema,
  ScheduleQuerySchema,
  ScheduleSchema,
} from '@clubos/shared/api/edge-lan';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, allow } from '../auth/auth.plugin.js';
import type { BookingService } from './booking.service.js';
import { toBookingResponse } from './booking-response.js';

/** Lookup, check-in and the day's schedule: answered from the replica, identical offline. */
export const bookingRoutes: FastifyPluginAsyncTypebox<{ bookings: BookingService }> = async (
  app,
  { bookings },
) => {
  app.get(
    '/bookings/lookup',
    {
      preHandler: allow('kiosk', 'staff'),
      schema: { querystring: BookingLookupQuerySchema, response: { 200: EdgeBookingSchema } },
    },
    async (request) => toBookingResponse(bookings.lookup(request.query)),
  );

  app.get(
    '/bookings/:id',
    {
      preHandler: allow('kiosk', 'staff'),
      schema: { params: EdgeBookingIdParamsSchema, response: { 200: EdgeBookingSchema } },
    },
    async (request) => toBookingResponse(bookings.get(request.params.id)),
  );

  app.post(
    '/bookings/:id/checkin',
    {
      preHandler: allow('kiosk', 'staff'),
      schema: {
        params: EdgeBookingIdParamsSchema,
        body: EdgeCheckInBodySchema,
        response: { 200: EdgeBookingSchema },
      },
    },
    async (request) =>
      toBookingResponse(bookings.checkIn(request.params.id, request.body.method, actorOf(request))),
  );

  app.get(
    '/schedule/today',
    {
      preHandler: allow('staff', 'kiosk'),
      schema: { querystring: ScheduleQuerySchema, response: { 200: ScheduleSchema } },
    },
    async (request) => {
      const schedule = bookings.schedule(request.query.date);
      return {
        ...schedule,
        bays: schedule.bays.map((b) => ({ ...b, bookings: b.bookings.map(toBookingResponse) })),
      };
    },
  );
};
