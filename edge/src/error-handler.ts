import { DomainInputError } from '@clubos/shared/model';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { EdgeError } from './errors.js';

/**
 * One error handler for the LAN API: coded errors keep their status and context, schema failures and
 * domain input errors are a 400 naming the field, anything else is a 500 whose detail stays in the log.
 */
export function edgeErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof EdgeError) {
    return reply.code(error.statusCode).send({ error: error.code, message: error.message, ...error.details });
  }
  if (error instanceof DomainInputError) {
    return reply.code(400).send({ error: 'INVALID_INPUT', message: error.message, field: error.field });
  }
  if (error.validation !== undefined) {
    const first = error.validation[0];
    const field =
      (first?.params as { missingProperty?: string } | undefined)?.missingProperty ??
      first?.instancePath.replace(/^\//, '').replace(/\//g, '.') ??
      '';
    return reply.code(400).send({
      error: 'INVALID_INPUT',
      message: `${error.validationContext ?? 'request'}${field ? `.${field}` : ''} ${first?.message ?? 'is invalid'}`,
      field: field || null,
    });
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return reply.code(error.statusCode).send({ error: error.code ?? 'BAD_REQUEST', message: error.message });
  }
  request.log.error({ err: error }, 'unhandled error');
  return reply.code(500).send({ error: 'INTERNAL', message: 'internal error' });
}
