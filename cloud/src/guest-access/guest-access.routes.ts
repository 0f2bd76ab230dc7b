import {
  BookingIdParamsSchema,
  BookingLookupBodySchema,
  BookingLookupResponseSchema,
  BookingSchema,
  CancellationResponseSchema,
  ClaimBookingBodySchema,
  ClaimBookingResponseSchema,
  ConflictResponseSchema,
  ErrorResponseSchema,
  GuestCancelBodySchema,
  ManagedBookingSchema,
  ManageTokenHeadersSchema,
  RescheduleBodySchema,
  StandardErrors,
} from '@clubos/shared/api';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireRole, userPrincipalOf } from '../auth/index.js';
import { runIdempotent, sendAnswer } from '../common/idempotency.js';
import { perMinute } from '../common/rate-limit.js';

const tags = ['guest access'];
const WriteErrors = { ...StandardErrors, 409: ConflictResponseSchema, 422: ConflictResponseSchema };
// The manage token travels in its own header (described by the headers schema), not as a bearer token.
const manageSecurity: { [name: string]: string[] }[] = [];

/**
 * Guests manage a booking without an account (look up by code + email or PIN, then act with the
 * short-lived manage token), and signed-in customers claim bookings they made as guests.
 */
export const guestAccessRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { guestAccess: guests, bookingClaims: claims, manageTokens: tokens, idempotency } = app.services;
  const guessLimit = perMinute(app.config.rateLimit.loginPerMinute);

  app.post(
    '/bookings/lookup',
    {
      config: guessLimit,
      schema: {
        tags,
        summary: 'Find a booking by its code and the email it was made with (or its PIN)',
        description:
          'Answers the booking with its QR and PIN, the refund a cancellation would give now, and a ' +
          'manage token (15 minutes) for the /bookings/{id}/manage routes. A wrong code or email is ' +
          'the same 404, so a lookup never confirms that a booking exists. Rate-limited per client ' +
          'and, after 5 wrong attempts, per booking code.',
        security: [],
        body: BookingLookupBodySchema,
        response: { 200: BookingLookupResponseSchema, ...StandardErrors },
      },
    },
    async (request) => guests.lookup(request.body),
  );

  app.get(
    '/bookings/:id/manage',
    {
      schema: {
        tags,
        summary: 'A guest’s booking, with the manage token from the lookup',
        security: manageSecurity,
        params: BookingIdParamsSchema,
        headers: ManageTokenHeadersSchema,
        response: { 200: ManagedBookingSchema, ...StandardErrors },
      },
    },
    async (request) => guests.get(request.headers['x-manage-token'], request.params.id),
  );

  app.post(
    '/bookings/:id/manage/cancel',
    {
      schema: {
        tags,
        summary: 'A guest cancels with the manage token; the refund follows the facility’s policy',
        security: manageSecurity,
        params: BookingIdParamsSchema,
        headers: ManageTokenHeadersSchema,
        body: GuestCancelBodySchema,
        response: { 200: CancellationResponseSchema, ...WriteErrors },
      },
    },
    async (request, reply) => {
      const token = request.headers['x-manage-token'];
      tokens.assertFor(token, request.params.id); // before any replay: a replay needs the token too
      return sendAnswer(
        reply,
        await runIdempotent(idempotency, request, 200, (recorder) =>
          guests.cancel(token, request.params.id, request.body ?? {}, recorder),
        ),
      );
    },
  );

  app.post(
    '/bookings/:id/manage/reschedule',
    {
      schema: {
        tags,
        summary: 'A guest moves the booking to another free time, with the manage token',
        security: manageSecurity,
        params: BookingIdParamsSchema,
        headers: ManageTokenHeadersSchema,
        body: RescheduleBodySchema,
        response: { 200: BookingSchema, ...WriteErrors, 410: ErrorResponseSchema },
      },
    },
    async (request, reply) => {
      const token = request.headers['x-manage-token'];
      tokens.assertFor(token, request.params.id);
      return sendAnswer(
        reply,
        await runIdempotent(idempotency, request, 200, (recorder) =>
          guests.reschedule(token, request.params.id, request.body, recorder),
        ),
      );
    },
  );

  app.post(
    '/customers/me/claim',
    {
      preHandler: requireRole('customer'),
      config: guessLimit,
      schema: {
        tags: [...tags, 'customers'],
        summary: 'Add a booking made as a guest to one’s account, proven by its code and PIN',
        description:
          'Moves the booking (and the rest of its series or group) into the signed-in customer’s ' +
          'record. Unknown code → 404 (reference_code); wrong PIN → 403 (pin); a booking that belongs ' +
          'to another account → 409. Rate-limited like login, and per booking code after 5 wrong PINs.',
        body: ClaimBookingBodySchema,
        response: { 200: ClaimBookingResponseSchema, ...StandardErrors, 409: ErrorResponseSchema },
      },
    },
    async (request) => claims.claim(userPrincipalOf(request), request.body),
  );
};
