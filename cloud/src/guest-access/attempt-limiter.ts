import { DomainError } from '@clubos/shared/errors';

/**
 * Wrong guesses per booking code, in memory. The per-IP rate limit slows one client; this stops
 * many clients from sharing the work of guessing one booking's PIN. Keyed by the code whether it
 * exists or not, so a lockout does not reveal which codes are real. One instance only: several
 * cloud instances each allow `maxFailures`, which still bounds guessing.
 */
export class AttemptLimiter {
  private readonly failures = new Map<string, { count: number; until: number }>();

  constructor(
    private readonly maxFailures = 5,
    private readonly windowMs = 15 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** 429 while `key` is locked out. */
  assertAllowed(key: string, field: string): void {
    const entry = this.failures.get(key);
    if (!entry) return;
    if (entry.until <= this.now()) {
      this.failures.delete(key);
      return;
    }
    if (entry.count >= this.maxFailures) {
      const minutes = Math.ceil((entry.until - this.now()) / 60_000);
      throw new DomainError(
        'RATE_LIMITED',
        `Too many wrong attempts for this booking code; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`,
        { field },
      );
    }
  }

  fail(key: string): void {
    const now = this.now();
    if (this.failures.size > 10_000) {
      for (const [k, e] of this.failures) if (e.until <= now) this.failures.delete(k);
    }
    const entry = this.failures.get(key);
    if (entry && entry.until > now) entry.count += 1;
    else this.failures.set(key, { count: 1, until: now + this.windowMs });
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }
}
