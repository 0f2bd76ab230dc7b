import { idempotencyKeyOf, idempotencyKeyReused, requestFingerprint } from '@clubos/shared/http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Executor } from '../db/client.js';
import { SQLSTATE, sqlState, violatedConstraint } from '../db/errors.js';
import type { idempotencyKeys } from '../db/schema/index.js';
import type { IdempotencyRepository } from './idempotency.repository.js';

/** Keys are honoured for a day; an older key is forgotten and may be reused. */
const KEY_TTL_MS = 24 * 60 * 60 * 1000;

/** The idempotency row for a response, for a writer that inserts it inside its own statement. */
export type IdempotencyEntry = typeof idempotencyKeys.$inferInsert;

/** Handed to a service: it records the response in the same transaction as its write. */
export interface IdempotencyRecorder {
  record(tx: Executor, statusCode: number, body: unknown): Promise<void>;
  /** The row `record` would insert (the booking writer folds it into its one statement). */
  entry(statusCode: number, body: unknown): IdempotencyEntry;
}

/**
 * `Idempotency-Key` (docs/decisions/003-idempotency-keys.md): the same key with the same request replays the
 * first success; the same key with a different request is a 422. The record is written in the same
 * transaction as the effect, so two concurrent twins cannot both write: the loser's transaction fails on the
 * key's primary key and it replays the winner's answer.
 */
export async function runIdempotent(
  repo: IdempotencyRepository,
  request: FastifyRequest,
  reply: FastifyReply,
  run: (recorder: IdempotencyRecorder | undefined) => Promise<{ statusCode: number; body: unknown }>,
): Promise<FastifyReply> {
  const key = idempotencyKeyOf(request.headers['idempotency-key']);
  if (key === undefined) {
    const result = await run(undefined);
    return reply.status(result.statusCode).send(result.body);
  }
  const principal = request.principal;
  const who = principal
    ? principal.kind === 'edge'
      ? `edge:${principal.edgeId}`
      : `user:${principal.userId}`
    : 'anon';
  const scope = `${request.method} ${request.routeOptions.url ?? request.url} ${who}`.slice(0, 200);
  const requestHash = requestFingerprint({ params: request.params, body: request.body ?? null });

  const replay = async (): Promise<FastifyReply | undefined> => {
    const existing = await repo.find(scope, key);
    if (!existing) return undefined;
    if (existing.createdAt.getTime() < Date.now() - KEY_TTL_MS) {
      await repo.delete(scope, key);
      return undefined;
    }
    if (existing.requestHash !== requestHash) {
      throw idempotencyKeyReused();
    }
    return reply.status(existing.statusCode).header('idempotent-replayed', 'true').send(existing.response);
  };

  const earlier = await replay();
  if (earlier) return earlier;
  try {
    const result = await run({
      record: (tx, statusCode, body) =>
        repo.insert(tx, { scope, key, requestHash, statusCode, response: body }),
      entry: (statusCode, body) => ({ scope, key, requestHash, statusCode, response: body }),
    });
    return reply.status(result.statusCode).send(result.body);
  } catch (error) {
    if (
      sqlState(error) === SQLSTATE.uniqueViolation &&
      violatedConstraint(error) === 'idempotency_keys_scope_key_pk'
    ) {
      const twin = await replay();
      if (twin) return twin;
    }
    throw error;
  }
}
