import type { FastifyRequest } from 'fastify';
import { type IdempotencyRecorder, type IdempotentAnswer, runIdempotent } from '../common/idempotency.js';
import type { IdempotencyRepository } from '../common/idempotency.repository.js';

/**
 * `runIdempotent` plus the case it cannot see: concurrent twins (the same key and body at the
 * same time) where the loser fails on the effect itself before reaching the key's record — the
 * slot is now held (409), the booking is already checked in (409). The winner committed its
 * record by then (the loser waited for its lock), so after such a failure the key is looked up
 * once more: a twin's answer is replayed, a different body is a 422, and with no record the
 * original error stands.
 */
export async function runIdempotentRoute<T>(
  repo: IdempotencyRepository,
  request: FastifyRequest,
  status: number,
  run: (recorder: IdempotencyRecorder | undefined) => Promise<T>,
): Promise<IdempotentAnswer<T>> {
  try {
    return await runIdempotent(repo, request, status, run);
  } catch (error) {
    if (request.headers['idempotency-key'] === undefined) throw error;
    return runIdempotent<T>(repo, request, status, () => Promise.reject(error));
  }
}
