export interface RetryPolicy {
  /** Extra attempts after the first one. */
  retries: number;
  baseDelayMs: number;
  /** Longest wait we accept inline; a longer Retry-After is handed back to the caller (outbox) instead. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 2, baseDelayMs: 250, maxDelayMs: 5_000 };

/** Exponential backoff with full jitter (AWS architecture blog): spreads retries of many edges apart. */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

export interface RetryDecision {
  retry: boolean;
  /** Server-mandated wait (Retry-After), which replaces the computed backoff. */
  delayMs?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn` until it succeeds, `decide` says stop, or the policy's retries are spent. The last error is
 * rethrown unchanged so callers keep the typed error.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  decide: (error: unknown) => RetryDecision,
  wait: (ms: number) => Promise<void> = sleep,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= policy.retries) throw error;
      const decision = decide(error);
      if (!decision.retry) throw error;
      if (decision.delayMs !== undefined && decision.delayMs > policy.maxDelayMs) throw error;
      await wait(decision.delayMs ?? backoffDelay(attempt, policy));
    }
  }
}
