import type { LeaderLease } from './leader-lease.js';

export interface PeriodicJob {
  /** Stops the timer and waits for a pass in progress. */
  stop(): Promise<void>;
  /** Runs one pass now if this instance leads (tests, admin); shares a pass in progress. */
  tick(): Promise<void>;
}

/**
 * Every timer of the cloud's background work (waitlist sweep, change-log compaction, refund and
 * fee retries, checkout expiry, untried Stripe events, reconciliation): each instance keeps the
 * timer, only the lease holder runs the pass, so a deployment runs each pass once. Passes of one
 * job never overlap in a process; a failed pass is reported and the next tick tries again.
 */
export class PeriodicWork {
  private readonly counts = new Map<string, number>();
  private readonly jobs = new Map<string, PeriodicJob>();

  constructor(
    private readonly lease: LeaderLease,
    private readonly onError: (job: string, error: unknown) => void,
  ) {}

  /** True while this instance runs the periodic work. */
  get leading(): boolean {
    return this.lease.held;
  }

  /** Passes this instance ran, per job (admin status, tests). */
  runs(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  /**
   * What a job's timer does, now: its pass runs if this instance leads (tests on a controlled clock
   * fire every instance's timer at once, as real timers would).
   */
  tick(name: string): Promise<void> {
    return this.jobs.get(name)?.tick() ?? Promise.resolve();
  }

  every(name: string, intervalMs: number, run: () => Promise<unknown>): PeriodicJob {
    let running: Promise<void> | null = null;
    const tick = (): Promise<void> => {
      if (!this.lease.held) return running ?? Promise.resolve();
      running ??= (async () => {
        this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
        try {
          await run();
        } catch (error) {
          this.onError(name, error);
        }
      })().finally(() => {
        running = null;
      });
      return running;
    };
    const timer = setInterval(() => void tick(), intervalMs);
    timer.unref();
    const job = {
      tick,
      stop: async () => {
        clearInterval(timer);
        this.jobs.delete(name);
        await running;
      },
    };
    this.jobs.set(name, job);
    return job;
  }
}
