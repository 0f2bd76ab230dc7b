import type { FastifyBaseLogger as Logger } from 'fastify';
import type { EdgeDatabase } from '../db/database.js';
import { retryDelay, sleep } from './backoff.js';
import { applyChangeBatch, loadSnapshot } from './change-apply.service.js';
import { type ChangesAnswer, type CloudFeed, FeedError } from './cloud-feed.js';
import type { LinkState } from './link-state.js';
import { PushChannel } from './push-channel.js';
import { readSyncState } from './replica.repository.js';

export interface PullLoopOptions {
  longPollMs: number;
  limit: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Pause between polls when the cloud answers an empty batch at once (no long-poll support). */
  idlePollMs?: number;
  /** The facility this edge serves; a snapshot for another one is refused. Empty: accept the first. */
  facilityId: string;
  /** Listen to the cloud's change stream when the feed offers one (default true). */
  push?: boolean;
  /** Heartbeat asked of the change stream; a silent stream is reconnected after 2.5× (default 15 s). */
  pushHeartbeatMs?: number;
  /** While the stream is up, pull anyway after this long without a nudge (default: longPollMs or 25 s). */
  pushIdleMs?: number;
  /** While the cloud gives no answer at all, the stream is retried this often, as the link's probe. */
  linkProbeMs?: number;
}

/**
 * Keeps the replica current: snapshot when new or told `snapshot_required`, then pulls
 * `changes?after=cursor`, applying each batch with its cursor in one transaction. While the cloud's
 * change stream is up, a pull follows each nudge whose head is past the cursor (and a safety pull
 * every `pushIdleMs`); while it is down, the loop long-polls. Failures back off with jitter;
 * `wake()` cuts a wait short (a nudge, or a walk-in that wants its booking back).
 */
export class PullLoop {
  private controller = new AbortController();
  private wakeController = new AbortController();
  private running: Promise<void> | null = null;
  private failures = 0;
  private prefetched: { after: number; requestedAt: number; answer: Promise<ChangesAnswer> } | null = null;
  /** The push channel (null when the feed has none or `push: false`). */
  readonly push: PushChannel | null;
  /** The head the stream announced last (heads only grow within a stream; a new one restarts them). */
  private announcedHead = 0;

  constructor(
    private readonly database: EdgeDatabase,
    private readonly feed: CloudFeed,
    private readonly link: LinkState,
    private readonly options: PullLoopOptions,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    const watch = feed.watch?.bind(feed);
    this.push =
      watch === undefined || options.push === false
        ? null
        : new PushChannel(
            watch,
            {
              heartbeatMs: options.pushHeartbeatMs ?? 15_000,
              backoffBaseMs: options.backoffBaseMs,
              backoffMaxMs: options.backoffMaxMs,
              ...(options.linkProbeMs === undefined ? {} : { probeMs: options.linkProbeMs }),
            },
            log,
          );
    if (this.push !== null) {
      this.push.onHead = (head) => {
        this.announcedHead = head;
        if (head > (readSyncState(this.database.db)?.cursor ?? -1)) this.wake();
      };
      // Up: the cloud answered (the link is back) and long-polling stops at the next turn; down:
      // start long-polling now.
      this.push.onState = (up) => {
        if (up) this.link.succeeded();
        this.wake();
      };
    }
    link.onReturn(() => this.linkReturned());
  }

  start(): void {
    if (this.running !== null) return;
    this.controller = new AbortController();
    this.running = this.loop().finally(() => {
      this.running = null;
    });
    this.push?.start();
  }

  async stop(): Promise<void> {
    this.controller.abort();
    this.wakeController.abort();
    await Promise.all([this.running, this.push?.stop()]);
  }

  wake(): void {
    this.wakeController.abort();
  }

  /** The cloud answered someone: drop the backoff (a new failure starts it from the base) and pull now. */
  private linkReturned(): void {
    this.failures = 0;
    this.wake();
    this.push?.linkReturned();
  }

  /** One pull step (snapshot or batch); exposed so tests and the walk-in path can drive it directly. */
  async pullOnce(
    signal: AbortSignal = this.controller.signal,
    waitMs = 0,
  ): Promise<{ hasMore: boolean; empty: boolean }> {
    const state = readSyncState(this.database.db);
    if (state === undefined) {
      await this.bootstrap(signal);
      return { hasMore: true, empty: false };
    }
    const prefetched = this.prefetched?.after === state.cursor ? this.prefetched : null;
    this.prefetched = null;
    const requestedAt = prefetched?.requestedAt ?? this.now();
    const answer = await (prefetched?.answer ??
      this.feed.changes(state.cursor, this.options.limit, waitMs, signal));
    if (answer.kind === 'snapshot_required') {
      this.log.warn({ cursor: state.cursor }, 'cloud compacted the feed past our cursor; loading a snapshot');
      await this.bootstrap(signal);
      return { hasMore: true, empty: false };
    }
    if (answer.hasMore) {
      // Catching up: ask for the next batch before applying this one, so the cloud prepares it
      // while this thread is busy in SQLite. Used only if the cursor really lands on `lastSeq`.
      const next = {
        after: answer.lastSeq,
        requestedAt: this.now(),
        answer: this.feed.changes(answer.lastSeq, this.options.limit, 0, signal),
      };
      next.answer.catch(() => undefined); // a failure surfaces when (and if) it is awaited
      this.prefetched = next;
    }
    const result = applyChangeBatch(this.database, answer.changes, {
      head: answer.head,
      requestedAt,
      caughtUp: !answer.hasMore,
      lastSeq: answer.lastSeq,
    });
    this.link.succeeded();
    if (result.applied > 0)
      this.log.debug({ applied: result.applied, cursor: result.cursor }, 'changes applied');
    return { hasMore: answer.hasMore, empty: answer.changes.length === 0 };
  }

  private async bootstrap(signal: AbortSignal): Promise<void> {
    const requestedAt = this.now();
    const snapshot = await this.feed.snapshot(signal);
    const expected = this.options.facilityId || readSyncState(this.database.db)?.facility_id;
    if (expected && snapshot.facilityId !== expected) {
      throw new FeedError(
        'fatal',
        `snapshot is for facility ${snapshot.facilityId}, this edge serves ${expected}`,
      );
    }
    loadSnapshot(this.database, snapshot, requestedAt);
    this.link.succeeded();
    this.log.info({ seq: snapshot.seq, rows: snapshot.rows.length }, 'replica loaded from snapshot');
  }

  private async loop(): Promise<void> {
    const signal = this.controller.signal;
    while (!signal.aborted) {
      const started = this.now();
      const pushed = this.push?.connected === true;
      let pause = 0;
      try {
        const { hasMore, empty } = await this.pullOnce(signal, pushed ? 0 : this.options.longPollMs);
        this.failures = 0;
        const cursor = readSyncState(this.database.db)?.cursor ?? 0;
        if (hasMore) pause = 0;
        else if (pushed) {
          // Caught up with the stream up: wait for a nudge (one may have come during the pull). The
          // stream dropped during the pull: long-poll straight away.
          const idle = this.options.pushIdleMs ?? (this.options.longPollMs || 25_000);
          pause = this.push?.connected !== true || this.announcedHead > cursor ? 0 : idle;
        } else if (
          empty &&
          (this.options.longPollMs === 0 || this.now() - started < this.options.longPollMs / 2)
        ) {
          // Long-poll off, or a cloud without it answering an empty batch at once: do not spin.
          pause = this.options.idlePollMs ?? 1000;
        }
      } catch (error) {
        if (signal.aborted) break;
        this.link.failed(error);
        const retryAfter = error instanceof FeedError ? error.retryAfterMs : null;
        pause = retryDelay(this.failures++, this.options, retryAfter);
      }
      if (pause > 0) await this.pause(pause);
    }
  }

  private async pause(ms: number): Promise<void> {
    this.wakeController = new AbortController();
    await sleep(ms, AbortSignal.any([this.controller.signal, this.wakeController.signal]));
  }
}
