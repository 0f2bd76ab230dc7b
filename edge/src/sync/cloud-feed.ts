import type { ReplicaChange, ReplicaSnapshot } from './change-apply.service.js';
import type { OutboxRow } from './outbox.repository.js';

/** An outbox row as far as the upload is concerned (a walk-in being forwarded is not in the outbox yet). */
export type UploadableEvent = Pick<OutboxRow, 'event_id' | 'type' | 'occurred_at' | 'payload'>;

/** What the pull loop gets back for `after = cursor`. */
export type ChangesAnswer =
  | {
      kind: 'batch';
      changes: ReplicaChange[];
      head: number;
      hasMore: boolean;
      /** The cursor to store with this batch (the cloud's `next_after`). */
      lastSeq: number;
    }
  /** The cloud compacted the feed past the cursor (or never knew this edge): load a snapshot. */
  | { kind: 'snapshot_required' };

/** The cloud's verdict on one uploaded event (`@clubos/shared/sync` UploadResult). */
export type EventAck =
  | { event_id: string; status: 'accepted' | 'duplicate' }
  | { event_id: string; status: 'rejected'; reason: string };

/**
 * The cloud as the sync sees it. Failures surface as `FeedError`; the loops classify them and retry
 * with backoff. The HTTP client implements this; tests may substitute a fake.
 */
export interface CloudFeed {
  snapshot(signal: AbortSignal): Promise<ReplicaSnapshot>;
  changes(after: number, limit: number, waitMs: number, signal: AbortSignal): Promise<ChangesAnswer>;
  upload(events: UploadableEvent[], signal: AbortSignal): Promise<EventAck[]>;
  /**
   * The push channel, when the cloud offers one: calls `onHead` with the facility's change-log head
   * on connect and on every change, until the stream ends (resolves) or fails (rejects). Without
   * it the pull loop long-polls.
   */
  watch?(onHead: (head: number) => void, heartbeatMs: number, signal: AbortSignal): Promise<void>;
}

/** `retry`: network, timeout, 5xx, 429. `auth`: key refused. `fatal`: an answer that cannot be trusted. */
export type FeedErrorKind = 'retry' | 'auth' | 'fatal';

export class FeedError extends Error {
  constructor(
    readonly kind: FeedErrorKind,
    message: string,
    /** From a 429/503 Retry-After header, when the cloud sent one. */
    readonly retryAfterMs: number | null = null,
    /** No answer at all (refused, reset, timed out): the line or the host, not a busy cloud. */
    readonly unreachable = false,
  ) {
    super(message);
    this.name = 'FeedError';
  }
}
