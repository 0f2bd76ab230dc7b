import { IdempotencyKeySchema } from '@clubos/shared/api';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type IdempotencyRecorder, runIdempotent, sendAnswer } from '../common/idempotency.js';

/** Documents the optional `Idempotency-Key` header (docs/decisions/003-idempotency-keys.md) on creating routes. */
export const IdempotencyHeaders = Type.Object({ 'idempotency-key': Type.Optional(IdempotencyKeySchema) });

/**
 * A 201 creation that honours `Idempotency-Key`: the service stores the answer in the same
 * transaction as the row (through the recorder), so a retried request replays it instead of
 * creating a twin.
 */
export async function createIdempotently<T>(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  create: (recorder: IdempotencyRecorder | undefined) => Promise<T>,
): Promise<T> {
  return sendAnswer(reply, await runIdempotent(app.services.idempotency, request, 201, create));
}
