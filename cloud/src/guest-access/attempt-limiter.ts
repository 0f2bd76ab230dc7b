import { DomainError } from '@clubos/shared/errors';
import type { RateCountersRepository } from '../common/rate-counters.repository.js';

/**
 * Wrong guesses per booking code, counted in PostgreSQL so every instance sees the same count
 * (docs/decisions/012-several-cloud-instances.md). The per-IP rate limit slows one client; this
 * stops many clients (or many instances) from sharing the work of guessing one booking's PIN. Keyed
 * by the code whether it exists or not, so a lockout does not reveal which codes are real.
 */
export class AttemptLimiter {
  constructor(
    private readonly counters: RateCountersRepository,
    private readonly maxFailures = 5,
    private readonly windowMs = 15 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** 429 while `key` is locked out. */
  async assertAllowed(key: string, field: string): Promise<void> {
    const now = this.now();
    const entry = await this.counters.get(`guess:${key}`, new Date(now));
    if (!entry || entry.count < this.maxFailures) return;
    const minutes = Math.ceil((entry.expiresAt.getTime() - now) / 60_000);
    throw new DomainError(
      'RATE_LIMITED',
      `Too many wrong attempts for this booking code; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`,
      { field },
    );
  }

  async fail(key: string): Promise<void> {
    await this.counters.hit(`guess:${key}`, this.windowMs, new Date(this.now()));
  }

  async succeed(key: string): Promise<void> {
    await this.counters.clear(`guess:${key}`);
  }
}
