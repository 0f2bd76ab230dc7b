import { idempotencyKeyReused, requestFingerprint } from '@clubos/shared/http';
import type { EdgeDatabase } from '../db/database.js';
import {
  deleteIdempotencyKeysBefore,
  findIdempotencyKey,
  storeIdempotencyKey,
} from './idempotency.repository.js';

export interface StoredResponse<T = unknown> {
  status: number;
  body: T;
}

/** Keys are kept a day: long enough for any kiosk retry, short enough to keep the table small. */
const KEEP_MS = 24 * 3_600_000;

/**
 * `Idempotency-Key` for mutating LAN calls (docs/decisions/003-idempotency-keys.md): the same key and body
 * returns the first result (a kiosk that lost the answer to a walk-in sale must not sell it twice); the same
 * key with another body is refused. A retry that arrives while the first call is still running waits for it
 * instead of running again. Errors are not stored: a refused sale may be retried.
 */
export class IdempotencyService {
  private readonly inFlight = new Map<string, { hash: string; result: Promise<StoredResponse> }>();

  constructor(
    private readonly database: EdgeDatabase,
    private readonly now: () => number = Date.now,
  ) {}

  async run<T>(
    scope: string,
    key: string | undefined,
    body: unknown,
    fn: () => Promise<StoredResponse<T>>,
  ): Promise<StoredResponse<T>> {
    if (key === undefined) return fn();
    const fullKey = `${scope}:${key}`;
    // The cloud's notion of "the same request": key order and undefined members do not count.
    const hash = requestFingerprint(body);
    const stored = findIdempotencyKey(this.database.db, fullKey);
    if (stored !== undefined) {
      if (stored.request_hash !== hash) throw idempotencyKeyReused();
      // The stored answer is the one this route's `fn` gave the first time.
      return { status: stored.status_code, body: stored.response as T };
    }
    const running = this.inFlight.get(fullKey);
    if (running !== undefined) {
      if (running.hash !== hash) throw idempotencyKeyReused();
      return running.result as Promise<StoredResponse<T>>;
    }
    const result = fn().then((response) => {
      const at = this.now();
      this.database.immediate(() => {
        deleteIdempotencyKeysBefore(this.database.db, at - KEEP_MS);
        storeIdempotencyKey(this.database.db, {
          key: fullKey,
          request_hash: hash,
          status_code: response.status,
          response: response.body,
          created_at: at,
        });
      });
      return response;
    });
    this.inFlight.set(fullKey, { hash, result });
    try {
      return await result;
    } finally {
      this.inFlight.delete(fullKey);
    }
  }
}
