import type { FastifyBaseLogger } from 'fastify';
import { type BackoffSettings, backoffMs, type FailureClass } from './hubspot-retry.policy.js';
import type { SyncPacer } from './hubspot-sync.pacer.js';
import type { HubspotSyncRepository, SyncItemRow } from './hubspot-sync.repository.js';

export interface PassReport {
  events: number;
  sent: number;
  succeeded: number;
  failed: number;
  /** Why the pass stopped early (HubSpot paused us), if it did. */
  interrupted: FailureClass['kind'] | 'paused' | null;
}

/** What HubSpot now holds for a sent item; `null` when there was nothing to send. */
export type Sent = { hubspotId: string; result: 'created' | 'updated' | 'adopted' } | null;

/** Raised inside a pass when HubSpot told us to stop for now; the rest of the pass is released. */
export class Interrupt extends Error {
  constructor(readonly reason: FailureClass['kind']) {
    super(reason);
  }
}

export interface ItemOutcomeDeps {
  repo: Pick<HubspotSyncRepository, 'succeed' | 'fail'>;
  pacer: SyncPacer;
  log: FastifyBaseLogger;
  clock: () => number;
  random: () => number;
  backoff: BackoffSettings;
  maxFailures: number;
  /** HubSpot said one of our custom properties does not exist (it was deleted in the portal). */
  propertyMissing: () => void;
}

/**
 * How a claimed item ends, counted in the pass report. A failure is applied to the item by the
 * retry policy's class: a rejection fails it for good (retrying the same request cannot succeed),
 * a 429 puts it back at Retry-After without counting the attempt, anything else puts it back with
 * backoff and jitter. Only a rejection lets the pass go on; anything else pauses the whole sync.
 */
export class ItemOutcomes {
  constructor(private readonly deps: ItemOutcomeDeps) {}

  private now(): Date {
    return new Date(this.deps.clock());
  }

  /** Nothing to send (an erased customer, a deleted booking, a deal below the threshold). */
  async skip(item: SyncItemRow, report: PassReport): Promise<void> {
    await this.deps.repo.succeed(item, { hubspotId: null, result: 'skipped' }, this.now());
    report.succeeded++;
  }

  async done(item: SyncItemRow, { hubspotId, result }: NonNullable<Sent>, report: PassReport): Promise<void> {
    this.deps.pacer.markAvailable();
    await this.deps.repo.succeed(item, { hubspotId, result }, this.now());
    report.succeeded++;
  }

  async fail(item: SyncItemRow, failure: FailureClass, report: PassReport, pause = true): Promise<void> {
    const now = this.deps.clock();
    this.deps.pacer.noteError(failure.message);
    if (failure.kind === 'rejected') {
      this.deps.log.warn(
        { item: item.id, kind: item.kind, error: failure.message },
        'HubSpot rejected a sync item',
      );
      // Our custom properties were deleted in the portal: make them again before the next send.
      if (failure.message.includes('PROPERTY_DOESNT_EXIST')) this.deps.propertyMissing();
      await this.deps.repo.fail(
        item.id,
        { error: failure.message, retryAt: null, counts: true, maxFailures: 1 },
        this.now(),
      );
      report.failed++;
      return;
    }
    const counts = failure.kind === 'unavailable' && failure.counts;
    const retryAt =
      failure.kind === 'rate_limited'
        ? now + failure.retryAfterMs
        : now + backoffMs(item.failures + 1, this.deps.random, this.deps.backoff);
    await this.deps.repo.fail(
      item.id,
      {
        error: failure.message,
        retryAt: new Date(retryAt),
        counts,
        // A 429 was refused unprocessed: it is not an attempt that could have reached HubSpot.
        uncountAttempt: failure.kind === 'rate_limited',
        maxFailures: this.deps.maxFailures,
      },
      this.now(),
    );
    if (counts && item.failures + 1 >= this.deps.maxFailures) report.failed++;
    if (pause) this.pauseOrContinue(failure);
  }

  /** A per-item rejection lets the pass go on; anything else pauses the sync and ends the pass. */
  pauseOrContinue(failure: FailureClass): void {
    if (failure.kind === 'rejected') return;
    this.deps.pacer.pauseFor(failure);
    throw new Interrupt(failure.kind);
  }
}
