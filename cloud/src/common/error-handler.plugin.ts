import { INTERNAL_ERROR, routeNotFound, toErrorResponse } from '@clubos/shared/http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * One error handler for the whole API, in the envelope the edge answers too (`@clubos/shared/http`):
 * domain errors keep their code (logged at info), schema failures are a 400 naming the field, and
 * anything unexpected is logged and answered with a bare 500 so no internals leak.
 */
export const errorHandlerPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((error, request, reply) => {
    const answer = toErrorResponse(error);
    if (answer !== null) {
      // A refusal (409 taken, 422 rule, …) is an answer, not a failure: one info line, no stack.
      request.log.info({ status: answer.status, code: answer.body.error.code }, answer.body.error.message);
      return reply.status(answer.status).send(answer.body);
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(INTERNAL_ERROR.status).send(INTERNAL_ERROR.body);
  });

  app.setNotFoundHandler((request, reply) => {
    const answer = routeNotFound(request.method, request.url);
    return reply.status(answer.status).send(answer.body);
  });
});
