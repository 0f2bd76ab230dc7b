/**
 * Faults a test arms for `count` requests (for good without one) until cleared; each simulator's
 * own next() decides what a request suffers, spends `remaining`, then calls sweep().
 */
export class CountedFaults<Spec extends { count?: number }> {
  protected active: Array<{ spec: Spec; remaining: number }> = [];

  add(spec: Spec): void {
    this.active.push({ spec, remaining: spec.count ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.active = [];
  }

  list(): Array<Spec & { remaining: number | null }> {
    return this.active.map((f) => ({
      ...f.spec,
      remaining: Number.isFinite(f.remaining) ? f.remaining : null,
    }));
  }

  /** Drops the faults whose count is spent. */
  protected sweep(): void {
    this.active = this.active.filter((f) => f.remaining > 0);
  }
}
