/**
 * When to reload a crashed renderer (or retry the edge): exponential backoff from `baseMs` up to
 * `maxMs`, reset once the renderer has stayed up for `stableMs`. A renderer that keeps crashing is
 * reloaded ever more slowly instead of spinning the CPU; one that ran for a while starts fresh.
 */
export interface RestartPolicy {
  /** A crash at `at` (ms): how long to wait before reloading. */
  onCrash(at: number): number;
  /** How many crashes in the current streak. */
  readonly streak: number;
}

export function createRestartPolicy(
  options: { baseMs?: number; maxMs?: number; stableMs?: number } = {},
): RestartPolicy {
  const base = options.baseMs ?? 1_000;
  const max = options.maxMs ?? 60_000;
  const stable = options.stableMs ?? 120_000;
  let streak = 0;
  let lastCrash = Number.NEGATIVE_INFINITY;
  return {
    onCrash(at) {
      if (at - lastCrash >= stable) streak = 0;
      lastCrash = at;
      const delay = Math.min(max, base * 2 ** streak);
      streak += 1;
      return delay;
    },
    get streak() {
      return streak;
    },
  };
}
