import {
  BookingIdParamsSchema,
  BookingListSchema,
  BookingSchema,
  CancelBookingBodySchema,
  CancellationResponseSchema,
  CheckinBodySchema,
  ConflictResponseSchema,
  CreateBookingBodySchema,
  CreateGroupBookingBodySchema,
  CreateHoldBodySchema,
  CreateRecurringBookingBodySchema,
  ErrorResponseSchema,
  IdempotencyKeySchema,
  ListBookingsQuerySchema,
  OkResponseSchema,
  RescheduleBodySchema,
  SeriesResponseSchema,
  StandardErrors,
} from '@clubos/shared/api';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { sendAnswer } from '../common/idempotency.js';
import { perMinute } from '../common/rate-limit.js';
import { runIdempotentRoute } from './idempotent-route.js';

/** Where the customer's browser reached us: Stripe's hosted page sends them back there. */
const originOf = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

const tags = ['bookings'];
const IdempotencyHeaders = Type.Object({ 'idempotency-key': Type.Optional(IdempotencyKeySchema) });
const WriteErrors = {
  ...StandardErrors,
  409: ConflictResponseSchema,
  410: ErrorResponseSchema,
  422: ConflictResponseSchema,
};

/**
 * Booking API. Creation is open to guests (with `customer`), customers, staff, admins and edges;
 * every mutating route (holds and check-in included) honours `Idempotency-Key`, concurrent twins
 * included (idempotent-route.ts). The rules live in the services.
 */
export const bookingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { bookings, bookingLifecycle, bookingSeries, idempotency } = app.services;
  const createLimit = perMinute(app.config.rateLimit.bookingsPerMinute);

  app.post(
    '/bookings',
    {
      config: createLimit,
      schema: {
        tags,
        summary:
          'Book a bay (guest checkout with `customer`, or as the logged-in customer); `hold_id` confirms a hold. Where the facility asks payment online, the answer is the pending hold with `checkout_url`: the booking is confirmed when the payment succeeds',
        headers: IdempotencyHeaders,
        body: CreateBookingBodySchema,
        response: { 201: BookingSchema, ...WriteErrors },
      },
    },
    async (request, reply) =>
      sendAnswer(
        reply,
        await runIdempotentRoute(idempotency, request, 201, (recorder) =>
          bookings.create(request.principal, request.body, recorder, originOf(request)),
        ),
      ),
  );

  app.post(
    '/bookings/recurring',
    {
      config: createLimit,
      schema: {
        tags,
        summary: 'Book a weekly/monthly series; all occurrences are checked (all_or_nothing by default)',
        headers: IdempotencyHeaders,
        body: CreateRecurringBookingBodySchema,
        response: { 201: SeriesResponseSchema, ...WriteErrors },
      },
    },
    async (request, reply) =>
      sendAnswer(
        reply,
        await runIdempotentRoute(idempotency, request, 201, (recorder) =>
          bookingSeries.createRecurring(request.principal, request.body, recorder),
        ),
      ),
  );

  app.post(
    '/bookings/group',
    {
      config: createLimit,
      schema: {
        tags,
        summary: 'Book several bays of one facility at the same time, all or nothing',
        headers: IdempotencyHeaders,
        body: CreateGroupBookingBodySchema,
        response: { 201: SeriesResponseSchema, ...WriteErrors },
      },
    },
    async (request, reply) =>
      sendAnswer(
        reply,
        await runIdempotentRoute(idempotency, request, 201, (recorder) =>
          bookingSeries.createGroup(request.principal, request.body, recorder),
        ),
      ),
  );

  app.post(
    '/holds',
    {
      config: createLimit,
      schema: {
        tags,
        summary: 'Hold a slot during checkout (HOLD_TTL_SECONDS); confirm with POST /bookings and hold_id',
        headers: IdempotencyHeaders,
        body: CreateHoldBodySchema,
        response: { 201: BookingSchema, ...WriteErrors },
      },
    },
    async (request, reply) =>
      sendAnswer(
        reply,
        await runIdempotentRoute(idempotency, request, 201, (recorder) =>
          bookings.createHold(request.principal, request.body, recorder),
        ),
      ),
  );

  app.delete(
    '/holds/:id',
    {
      schema: {
        tags,
        summary: 'Release a hold before it expires',
        params: BookingIdParamsSchema,
        response: { 200: OkResponseSchema, ...StandardErrors },
      },
    },
    async (request) => {
      await bookings.releaseHold(request.principal, request.params.id);
      return { ok: true as const };
    },
  );

  app.get(
    '/bookings',
    {
      schema: {
        tags,
        summary: 'List bookings: a customer’s own; staff/admin by facility',
        querystring: ListBookingsQuerySchema,
        response: { 200: BookingListSchema, ...StandardErrors },
      },
    },
    async (request) => ({ bookings: await bookings.list(request.principal, request.query) }),
  );

  app.get(
    '/bookings/:id',
    {
      schema: {
        tags,
        summary: 'One booking (its customer, staff of its facility, admins)',
        params: BookingIdParamsSchema,
        response: { 200: BookingSchema, ...StandardErrors },
      },
    },
    async (request) => bookings.get(request.principal, request.params.id),
  );

  app.post(
    '/bookings/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel; the refund follows the facility’s cancellation policy (`refund: false` waives it)',
        headers: IdempotencyHeaders,
        params: BookingIdParamsSchema,
        body: CancelBookingBodySchema,
        response: { 200: CancellationResponseSchema, ...WriteErrors },
      },
    },
    async (request, reply) =>
      sendAnswer(
        reply,
        await runIdempotentRoute(idempotency, request, 200, (recorder) =>
          bookingLifecycle.cancel(request.principal, request.params.id, request.body ?? {}, recorder),
        ),
      ),
  );

  app.post(
    '/bookings/:id/reschedule',
    {
      schema: {
        tags,
        summary: 'Move a booking to another time (and optionally another bay of the same facility)',
        headers: IdempotencyHeaders,
        params: BookingIdParamsSchema,
        body: RescheduleBodySchema,
        response: { 200: BookingSchema, ...WriteErrors },
      },
    },
    async (request, reply) =>
      sendAnswer(
        reply,
        await runIdempotentRoute(idempotency, request, 200, (recorder) =>
          bookingLifecycle.reschedule(request.principal, request.params.id, request.body, recorder, {
            // A dearer slot's difference is paid on Stripe's page, which comes back to the site.
            returnUrl: request.body.return_url ?? `${request.protocol}://${request.host}/`,
          }),
        ),
      ),
  );

  app.post(
    '/bookings/:id/checkin',
    {
      schema: {
        tags,
        summary: 'Check in with the QR token, the PIN or the reference code (staff: method `staff`)',
        headers: IdempotencyHeaders,
        params: BookingIdParamsSchema,
        body: CheckinBodySchema,
        response: { 200: BookingSchema, ...WriteErrors },
      },
    },
    async (request, reply) =>
      sendAnswer(
        reply,
        await runIdempotentRoute(idempotency, request, 200, (recorder) =>
          bookingLifecycle.checkin(request.principal, request.params.id, request.body, recorder),
        ),
      ),
  );
};
