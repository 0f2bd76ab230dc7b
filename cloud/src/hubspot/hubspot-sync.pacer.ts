import type { FastifyBaseLogger } from 'fastify';
import { type BackoffSettings, backoffMs, type FailureClass } from './hubspot-retry.policy.js';

export interface WorkerHealth {
  available: boolean;
  pausedUntil: number | null;
  lastError: string | null;
}

/**
 * When the sync may talk to HubSpot again. A 429 pauses everything until Retry-After (HubSpot's
 * limits are per account, so one item's 429 is everyone's); an outage pauses it with exponential
 * backoff and jitter. Going down and coming back are each logged once (docs/architecture.md: health is
 * honest).
 */
export class SyncPacer {
  private pausedUntil = 0;
  private consecutiveOutages = 0;
  private available = true;
  private lastError: string | null = null;

  constructor(
    private readonly log: FastifyBaseLogger,
    private readonly clock: () => number,
    private readonly random: () => number,
    private readonly backoff: BackoffSettings,
  ) {}

  health(): WorkerHealth {
    return {
      available: this.available,
      pausedUntil: this.pausedUntil > this.clock() ? this.pausedUntil : null,
      lastError: this.lastError,
    };
  }

  isPaused(): boolean {
    return this.clock() < this.pausedUntil;
  }

  /** Epoch ms when the pause ends (in the past when not paused). */
  resumeAt(): number {
    return this.pausedUntil;
  }

  noteError(message: string): void {
    this.lastError = message;
  }

  pauseFor(failure: FailureClass): void {
    const now = this.clock();
    this.lastError = failure.message;
    if (failure.kind === 'rejected') return;
    if (failure.kind === 'rate_limited') {
      // A little jitter so several instances do not all come back in the same millisecond.
      this.pausedUntil = now + failure.retryAfterMs + Math.round(this.random() * 250);
      this.log.warn(
        { policy: failure.policy, resumeAt: new Date(this.pausedUntil).toISOString() },
        'HubSpot rate limit: sync paused',
      );
      return;
    }
    this.consecutiveOutages++;
    this.pausedUntil = now + backoffMs(this.consecutiveOutages, this.random, this.backoff);
    if (this.available) {
      this.available = false;
      this.log.warn({ error: failure.message }, 'HubSpot unavailable: sync backing off');
    }
  }

  markAvailable(): void {
    this.consecutiveOutages = 0;
    if (!this.available) {
      this.available = true;
      this.lastError = null;
      this.log.info('HubSpot reachable again: sync resumed');
    }
  }
}
