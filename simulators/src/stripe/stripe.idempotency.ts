import { isDeepStrictEqual } from 'node:util';
import { invalidRequest, StripeApiError } from './stripe.errors.js';

/**
 * Server-side idempotency as docs.stripe.com/idempotency describes it: once a POST with an
 * `Idempotency-Key` starts executing, its status and body are stored and replayed for the same key
 * (errors and 500s included); the same key with other parameters is a 400 `idempotency_error`;
 * the same key while the first request still runs is a 409. Keys expire after 24 h.
 */
export interface StoredReply {
  status: number;
  body: unknown;
  requestId: string;
}

interface Entry {
  fingerprint: { method: string; path: string; params: unknown };
  reply: StoredReply | null;
  at: number;
}

export type Admission = { kind: 'execute' } | { kind: 'replay'; reply: StoredReply };

export const MAX_KEY_LENGTH = 255;
export const DEFAULT_KEY_TTL_MS = 24 * 60 * 60 * 1000;

export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: () => number,
    private readonly ttlMs = DEFAULT_KEY_TTL_MS,
  ) {}

  /** Validates the key alone; called before execution, so a bad key is not stored. */
  static checkKey(key: string): void {
    if (key.length > MAX_KEY_LENGTH)
      throw invalidRequest(
        `Invalid Idempotency-Key: keys can be at most ${MAX_KEY_LENGTH} characters, got ${key.length}.`,
        'Idempotency-Key',
      );
  }

  /** Claims the key for this request, or says what to answer instead. */
  begin(key: string, method: string, path: string, params: unknown): Admission {
    this.prune();
    const fingerprint = { method, path, params };
    const entry = this.entries.get(key);
    if (!entry) {
      this.entries.set(key, { fingerprint, reply: null, at: this.clock() });
      return { kind: 'execute' };
    }
    if (!isDeepStrictEqual(entry.fingerprint, fingerprint)) {
      throw new StripeApiError(
        400,
        'idempotency_error',
        `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      );
    }
    if (entry.reply === null) {
      throw new StripeApiError(
        409,
        'invalid_request_error',
        `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
        { code: 'idempotency_key_in_use' },
      );
    }
    return { kind: 'replay', reply: entry.reply };
  }

  finish(key: string, reply: StoredReply): void {
    const entry = this.entries.get(key);
    if (entry) entry.reply = reply;
  }

  /** A request that failed before executing (e.g. its connection dropped) releases its key. */
  abandon(key: string): void {
    const entry = this.entries.get(key);
    if (entry && entry.reply === null) this.entries.delete(key);
  }

  size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }

  private prune(): void {
    const oldest = this.clock() - this.ttlMs;
    for (const [key, entry] of this.entries)
      if (entry.at < oldest && entry.reply !== null) this.entries.delete(key);
  }
}
