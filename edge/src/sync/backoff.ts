import { backoffDelay } from '../http/retry.js';

/**
 * The wait before the next try after `failures` consecutive failures: exponential with full jitter
 * (the edge's shared policy in `http/retry.ts`), or the cloud's Retry-After when it asked for longer.
 */
export function retryDelay(
  failures: number,
  bounds: { backoffBaseMs: number; backoffMaxMs: number },
  retryAfterMs: number | null,
): number {
  const computed = backoffDelay(failures, {
    retries: 0,
    baseDelayMs: bounds.backoffBaseMs,
    maxDelayMs: bounds.backoffMaxMs,
  });
  return Math.max(retryAfterMs ?? 0, computed);
}

/** Resolves after `ms`, or early when `signal` aborts (never rejects: callers re-check their own state). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
