import { INTERNAL_ERROR, routeNotFound, toErrorResponse } from '@clubos/shared/http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * The LAN API's errors in the cloud's envelope (`@clubos/shared/http`): domain errors keep their
 * catalogue code, schema failures are a 400 naming the field, an unknown route is a NOT_FOUND, and
 * anything unexpected is logged and answered with a bare 500 so no internals reach a kiosk.
 */
export const errorEnvelopePlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error, request, reply) => {
      const answer = toErrorResponse(error);
      if (answer !== null) return reply.status(answer.status).send(answer.body);
      request.log.error({ err: error }, 'unhandled error');
      return reply.status(INTERNAL_ERROR.status).send(INTERNAL_ERROR.body);
    });
    app.setNotFoundHandler((request, reply) => {
      const answer = routeNotFound(request.method, request.url);
      return reply.status(answer.status).send(answer.body);
    });
  },
  { name: 'edge-error-envelope' },
);
