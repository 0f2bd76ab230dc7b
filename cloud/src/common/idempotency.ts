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

/**
 * Handed to a service: it records its answer's body in the same transaction as its write. The
 * status stored with it is the one the route chose (`runIdempotent`'s `status`), so a replay
 * answers exactly what the client got, and the service never deals in HTTP statuses.
 */
export interface IdempotencyRecorder {
  record(tx: Executor, body: unknown): Promise<void>;
  /** The row `record` would insert (the booking writer folds it into its one statement). */
  entry(body: unknown): IdempotencyEntry;
}

/** What an idempotent route sends: its own answer, or the replay of the key's first one. */
export interface IdempotentAnswer<T> {
  status: number;
  body: T;
  replayed: boolean;
}

/**
 * `Idempotency-Key` (docs/decisions/003-idempotency-keys.md): the same key with the same request replays the first
 * success; the same key with a different request is a 422. The record is written in the same
 * transaction as the effect, so two concurrent twins cannot both write: the loser's transaction
 * fails on the key's primary key and it replays the winner's answer. `status` is what the route
 * answers on success. Nothing is sent here: the route sends the answer (`sendAnswer`).
 */
export async function runIdempotent<T>(
  repo: IdempotencyRepository,
  request: FastifyRequest,
  status: number,
  run: (recorder: IdempotencyRecorder | undefined) => Promise<T>,
): Promise<IdempotentAnswer<T>> {
  const key = idempotencyKeyOf(request.headers['idempotency-key']);
  if (key === undefined) return { status, body: await run(undefined), replayed: false };
  const principal = request.principal;
  const who = principal
    ? principal.kind === 'edge'
      ? `edge:${principal.edgeId}`
      : `user:${principal.userId}`
    : 'anon';
  const scope = `${request.method} ${request.routeOptions.url ?? request.url} ${who}`.slice(0, 200);
  const requestHash = requestFingerprint({ params: request.params, body: request.body ?? null });

  // Answers data, never the reply: an async function returning the (thenable) reply resolves to
  // undefined, which once made a sent replay look like "no record" and the handler fail after it.
  const replay = async (): Promise<IdempotentAnswer<T> | undefined> => {
    const existing = await repo.find(scope, key);
    if (!existing) return undefined;
    if (existing.createdAt.getTime() < Date.now() - KEY_TTL_MS) {
      await repo.delete(scope, key);
      return undefined;
    }
    if (existing.requestHash !== requestHash) throw idempotencyKeyReused();
    return { status: existing.statusCode, body: existing.response as T, replayed: true };
  };

  const earlier = await replay();
  if (earlier) return earlier;
  try {
    const body = await run({
      record: (tx, answered) =>
        repo.insert(tx, { scope, key, requestHash, statusCode: status, response: answered }),
      entry: (answered) => ({ scope, key, requestHash, statusCode: status, response: answered }),
    });
    return { status, body, replayed: false };
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

/** Sends an idempotent route's answer; a replay is marked `Idempotent-Replayed: true`. */
export function sendAnswer<T>(reply: FastifyReply, answer: IdempotentAnswer<T>): T {
  reply.status(answer.status);
  if (answer.replayed) reply.header('idempotent-replayed', 'true');
  return answer.body;
}
