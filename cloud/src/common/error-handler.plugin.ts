import { BookingTransitionError } from '@clubos/shared/booking';
import { DomainInputError } from '@clubos/shared/model';
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from './app-error.js';

interface ValidationIssue {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** `/customer/email` + missing `phone` → `customer.phone`; the root of a query → `query`. */
export function fieldOf(issue: ValidationIssue, context: string | undefined): string {
  const parts = (issue.instancePath ?? '').split('/').filter(Boolean);
  const params = issue.params ?? {};
  for (const key of ['missingProperty', 'additionalProperty', 'propertyName']) {
    if (typeof params[key] === 'string') parts.push(params[key] as string);
  }
  if (parts.length > 0) return parts.join('.');
  return context === 'querystring' ? 'query' : (context ?? 'body');
}

/**
 * One error handler for the whole API. Validation errors become 400 naming the field; coded
 * errors keep their status; anything unexpected is logged and answered with a bare 500 so no
 * internals leak.
 */
export const errorHandlerPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler(
    (error: FastifyError | AppError | DomainInputError | BookingTransitionError, request, reply) => {
      if (error instanceof AppError) {
        return reply.status(error.statusCode).send({
          error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) },
          ...error.options.extra,
        });
      }
      if (error instanceof BookingTransitionError) {
        return reply
          .status(409)
          .send({ error: { code: 'INVALID_STATE', message: error.message, field: 'status' } });
      }
      if (error instanceof DomainInputError) {
        return reply
          .status(400)
          .send({ error: { code: 'VALIDATION_FAILED', message: error.message, field: error.field } });
      }
      const fastifyError = error as FastifyError;
      if (fastifyError.validation && fastifyError.validation.length > 0) {
        const issue = fastifyError.validation[0] as ValidationIssue;
        const field = fieldOf(issue, fastifyError.validationContext);
        return reply.status(400).send({
          error: { code: 'VALIDATION_FAILED', message: `${field} ${issue.message ?? 'is invalid'}`, field },
        });
      }
      const status = fastifyError.statusCode ?? 500;
      if (status === 429) {
        return reply.status(429).send({ error: { code: 'RATE_LIMITED', message: fastifyError.message } });
      }
      if (status >= 400 && status < 500) {
        // Framework-level client errors: malformed JSON, wrong content type, body too large…
        return reply.status(status).send({
          error: { code: fastifyError.code ?? 'BAD_REQUEST', message: fastifyError.message, field: 'body' },
        });
      }
      request.log.error({ err: error }, 'unhandled error');
      return reply.status(500).send({ error: { code: 'INTERNAL', message: 'Internal server error' } });
    },
  );

  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send({ error: { code: 'NOT_FOUND', message: `Route ${request.method} ${request.url} not found` } }),
  );
});
