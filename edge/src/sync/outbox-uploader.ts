import type { FastifyBaseLogger as Logger } from 'fastify';
import type { EdgeDatabase } from '../db/database.js';
import { retryDelay, sleep } from './backoff.js';
import { type CloudFeed, type EventAck, FeedError } from './cloud-feed.js';
import type { LinkState } from './link-state.js';
import {
  deleteAcknowledged,
  markRejected,
  type OutboxRow,
  pendingBatch,
  recordAttemptFailure,
} from './outbox.repository.js';

/**
 * Reacts to the cloud's verdict on one event of a given type, inside the transaction that removes
 * or parks the outbox row (a walk-in's outcome and its outbox row change together). Returns 'resolved'
 * when a rejection was handled locally (the row may go), 'keep' to park it as rejected.
 */
export type AckHandler = (row: OutboxRow, ack: EventAck) => 'resolved' | 'keep';

export interface UploaderOptions {
  batchSize: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** How long the uploader sleeps with an empty outbox before looking again (new rows also wake it). */
  idleMs?: number;
}

export interface FlushResult {
  sent: number;
  acknowledged: number;
  rejected: number;
}

/**
 * Uploads the outbox in order, in batches. A row is deleted only after the cloud acknowledged it
 * (accepted or duplicate); a crash between the cloud's commit and our delete re-sends it, and the
 * cloud's deduplication by event id answers `duplicate`. Rejected rows stay with the reason.
 */
export class OutboxUploader {
  private controller = new AbortController();
  private wakeController = new AbortController();
  private running: Promise<void> | null = null;
  private failures = 0;
  private flushing: Promise<unknown> = Promise.resolve();
  private readonly handlers = new Map<string, AckHandler>();

  constructor(
    private readonly database: EdgeDatabase,
    private readonly feed: CloudFeed,
    private readonly link: LinkState,
    private readonly options: UploaderOptions,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    link.onReturn(() => this.linkReturned());
  }

  onAck(type: string, handler: AckHandler): void {
    this.handlers.set(type, handler);
  }

  start(): void {
    if (this.running !== null) return;
    this.controller = new AbortController();
    this.running = this.loop().finally(() => {
      this.running = null;
    });
  }

  async stop(): Promise<void> {
    this.controller.abort();
    this.wakeController.abort();
    await this.running;
  }

  /** New rows are waiting: upload now rather than at the next idle tick (backoff still applies). */
  wake(): void {
    if (this.failures === 0) this.wakeController.abort();
  }

  /** The cloud answered someone: the backoff was for a line that is back, so upload now. */
  private linkReturned(): void {
    this.failures = 0;
    this.wakeController.abort();
  }

  /**
   * Sends one batch and settles it. Calls are serialised: two concurrent flushes would send the same
   * rows twice (harmless for the cloud, but wasted and confusing in the logs).
   */
  flushOnce(signal: AbortSignal = this.controller.signal): Promise<FlushResult> {
    const run = this.flushing.catch(() => undefined).then(() => this.sendBatch(signal));
    this.flushing = run;
    return run;
  }

  private async sendBatch(signal: AbortSignal): Promise<FlushResult> {
    const batch = pendingBatch(this.database.db, this.options.batchSize);
    if (batch.length === 0) return { sent: 0, acknowledged: 0, rejected: 0 };
    let acks: EventAck[];
    try {
      acks = await this.feed.upload(batch, signal);
    } catch (error) {
      recordAttemptFailure(
        this.database.db,
        batch.map((r) => r.event_id),
        error instanceof Error ? error.message : String(error),
      );
      throw error;
    }
    this.link.succeeded();
    return this.settle(batch, acks);
  }

  private settle(batch: OutboxRow[], acks: EventAck[]): FlushResult {
    const byId = new Map(batch.map((r) => [r.event_id, r]));
    const now = this.now();
    return this.database.immediate(() => {
      const acknowledged: string[] = [];
      let rejected = 0;
      for (const ack of acks) {
        const row = byId.get(ack.event_id);
        if (row === undefined) continue; // an answer for an event we did not send: ignore it
        const handler = this.handlers.get(row.type);
        const verdict = handler === undefined ? 'keep' : handler(row, ack);
        if (ack.status !== 'rejected' || verdict === 'resolved') acknowledged.push(ack.event_id);
        else {
          markRejected(this.database.db, ack.event_id, ack.reason, now);
          rejected++;
        }
      }
      deleteAcknowledged(this.database.db, acknowledged);
      // Events the cloud did not answer for stay pending and go again in the next batch.
      return { sent: batch.length, acknowledged: acknowledged.length, rejected };
    });
  }

  private async loop(): Promise<void> {
    const signal = this.controller.signal;
    while (!signal.aborted) {
      let pause = 0;
      try {
        const result = await this.flushOnce(signal);
        this.failures = 0;
        if (result.sent < this.options.batchSize) pause = this.options.idleMs ?? 2000;
      } catch (error) {
        if (signal.aborted) break;
        this.link.failed(error);
        const retryAfter = error instanceof FeedError ? error.retryAfterMs : null;
        pause = retryDelay(this.failures++, this.options, retryAfter);
        this.log.debug(
          { err: error instanceof Error ? error.message : error, pause },
          'outbox upload failed',
        );
      }
      if (pause > 0) {
        this.wakeController = new AbortController();
        await sleep(pause, AbortSignal.any([signal, this.wakeController.signal]));
      }
    }
  }
}
