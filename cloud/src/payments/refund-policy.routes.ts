import { BookingIdParamsSchema, StandardErrors } from '@clubos/shared/api';
import { CancellationPreviewSchema } from '@clubos/shared/api/guest-access.schemas';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

const tags = ['bookings', 'payments'];

/** What a cancellation would refund now, for whoever may cancel the booking. */
export const refundPolicyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { bookingLifecycle } = app.services;

  app.get(
    '/bookings/:id/cancellation-preview',
    {
      schema: {
        tags,
        summary:
          'The refund cancelling now gives (to the card when paid online, else at the venue), shown before confirming',
        params: BookingIdParamsSchema,
        response: { 200: CancellationPreviewSchema, ...StandardErrors },
      },
    },
    async (request) => bookingLifecycle.cancellationPreview(request.principal, request.params.id),
  );
};
