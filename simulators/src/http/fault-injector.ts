import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** How a "down" simulator behaves: drop the TCP connection, or answer 503 like a proxy in front of it. */
export type DownMode = 'close' | 'unavailable';

export interface QueuedFailure {
  status: number;
  remaining: number;
  retryAfterSeconds?: number;
}

export interface FaultSnapshot {
  down: DownMode | null;
  delayMs: number;
  queued: QueuedFailure[];
}

export interface FaultHookOptions {
  /** Requests that faults never touch (the control API must keep working while the API is "down"). */
  skip: (url: string) => boolean;
  /** The simulated system's own error body for a status (UniFi envelope, NinjaOne resultCode...). */
  errorBody: (status: number) => unknown;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Fault injection shared by the simulators: down (connections closed or 503), slow (a delay before
 * every answer is sent), and a queue of canned failures (5xx, 429 with Retry-After) consumed one request
 * at a time, so a test can say "the next two calls fail" and then watch a client recover.
 */
export class FaultInjector {
  private downMode: DownMode | null = null;
  private delay = 0;
  private queue: QueuedFailure[] = [];

  down(mode: DownMode = 'close'): void {
    this.downMode = mode;
  }

  up(): void {
    this.downMode = null;
  }

  slow(delayMs: number): void {
    if (!Number.isFinite(delayMs) || delayMs < 0)
      throw new RangeError(`delayMs must be >= 0, got ${delayMs}`);
    this.delay = delayMs;
  }

  /** The next `count` requests answer `status` (with Retry-After when given). */
  fail(status: number, options: { count?: number; retryAfterSeconds?: number } = {}): void {
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError(`status must be an HTTP error status (400-599), got ${status}`);
    }
    const count = options.count ?? 1;
    if (!Number.isInteger(count) || count < 1)
      throw new RangeError(`count must be a positive integer, got ${count}`);
    this.queue.push({ status, remaining: count, retryAfterSeconds: options.retryAfterSeconds });
  }

  rateLimit(retryAfterSeconds: number, count = 1): void {
    this.fail(429, { count, retryAfterSeconds });
  }

  reset(): void {
    this.downMode = null;
    this.delay = 0;
    this.queue = [];
  }

  snapshot(): FaultSnapshot {
    return { down: this.downMode, delayMs: this.delay, queued: this.queue.map((q) => ({ ...q })) };
  }

  /** Applies a JSON description of faults (the control API's body). */
  apply(spec: FaultSpec): void {
    if (spec.reset) this.reset();
    if (spec.down === false) this.up();
    else if (spec.down !== undefined) this.down(spec.down === true ? 'close' : spec.down);
    if (spec.delay_ms !== undefined) this.slow(spec.delay_ms);
    if (spec.fail !== undefined) {
      this.fail(spec.fail.status, {
        count: spec.fail.count,
        retryAfterSeconds: spec.fail.retry_after_seconds,
      });
    }
  }

  install(app: FastifyInstance, options: FaultHookOptions): void {
    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      if (options.skip(request.url)) return;
      if (this.downMode === 'close') {
        // Like a crashed controller: the client sees a reset connection, not an HTTP answer.
        reply.hijack();
        request.raw.socket.destroy();
        return reply;
      }
      if (this.downMode === 'unavailable') {
        return reply.code(503).send(options.errorBody(503));
      }
      const next = this.queue[0];
      if (next) {
        next.remaining -= 1;
        if (next.remaining <= 0) this.queue.shift();
        if (next.retryAfterSeconds !== undefined) reply.header('retry-after', String(next.retryAfterSeconds));
        return reply.code(next.status).send(options.errorBody(next.status));
      }
      return undefined;
    });
    // Slow delays the answer, not the work: the operation takes effect and the client may time out
    // first, the case where a client must not replay a non-idempotent call (a door unlock).
    app.addHook('onSend', async (request, _reply, payload) => {
      if (this.delay > 0 && !options.skip(request.url)) await sleep(this.delay);
      return payload;
    });
  }
}

/** JSON form of a fault change, as accepted by every simulator's `POST /__control/faults`. */
export interface FaultSpec {
  reset?: boolean;
  down?: boolean | DownMode;
  delay_ms?: number;
  fail?: { status: number; count?: number; retry_after_seconds?: number };
}
