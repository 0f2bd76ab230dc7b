/** One bay-time a request of a batch takes, as the exclusion constraint sees it. */
export interface TakenRange {
  simulatorId: string;
  start: number;
  /** `blocked_until`: the end plus the bay's buffer. */
  end: number;
}

/**
 * Splits a batch into the requests that can share one statement and those that must be written
 * alone: a request whose time overlaps an earlier request's on the same bay (the exclusion
 * constraint would abort the whole statement), or that repeats an earlier request's idempotency
 * key (the key's primary key would). Earlier requests win their place; the rest keep their order.
 */
export function partitionBatch<T extends { ranges: TakenRange[]; idempotencyKey: string | null }>(
  requests: T[],
): { together: number[]; apart: number[] } {
  const taken = new Map<string, TakenRange[]>();
  const keys = new Set<string>();
  const together: number[] = [];
  const apart: number[] = [];
  requests.forEach((request, index) => {
    const clashes =
      (request.idempotencyKey !== null && keys.has(request.idempotencyKey)) ||
      request.ranges.some((r) =>
        (taken.get(r.simulatorId) ?? []).some((t) => r.start < t.end && t.start < r.end),
      );
    if (clashes) {
      apart.push(index);
      return;
    }
    together.push(index);
    if (request.idempotencyKey !== null) keys.add(request.idempotencyKey);
    for (const r of request.ranges) {
      const list = taken.get(r.simulatorId);
      if (list) list.push(r);
      else taken.set(r.simulatorId, [r]);
    }
  });
  return { together, apart };
}
