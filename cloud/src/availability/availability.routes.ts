import {
  AvailabilityQuerySchema,
  type AvailabilityResponse,
  AvailabilityResponseSchema,
  QuoteQuerySchema,
  QuoteResponseSchema,
  StandardErrors,
} from '@clubos/shared/api';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

const tags = ['availability'];

/**
 * Public reads: free slots of a bay or a facility, and the price of one slot. Anonymous callers
 * see the public price; a signed-in customer (or staff naming `customer_id`) their member price.
 */
export const availabilityRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const service = app.services.availability;

  app.get(
    '/availability',
    {
      schema: {
        tags,
        summary: 'Free slots for a bay (simulator_id) or every bay of a facility (facility_id) on a date',
        security: [{}, { bearer: [] }, { edge: [] }],
        querystring: AvailabilityQuerySchema,
        response: { 200: AvailabilityResponseSchema, ...StandardErrors },
      },
    },
    // The listing arrives serialized (and usually cached): Fastify sends a Buffer as is.
    async (request, reply) => {
      const json = await service.searchJson(request.query, request.principal);
      return reply.type('application/json; charset=utf-8').send(json as unknown as AvailabilityResponse);
    },
  );

  app.get(
    '/quote',
    {
      schema: {
        tags,
        summary: 'Price of one slot with the pricing explanation lines, and whether it can be booked',
        security: [{}, { bearer: [] }, { edge: [] }],
        querystring: QuoteQuerySchema,
        response: { 200: QuoteResponseSchema, ...StandardErrors },
      },
    },
    async (request) => service.quote(request.query, request.principal),
  );
};
