/** Reads the change-log heads of several facilities in one query (facility id → last seq). */
export type HeadsReader = (facilityIds: string[]) => Promise<Map<string, number>>;

interface Subscriber {
  /** The newest head this subscriber was told (or read when it connected). */
  seen: number;
  send: (head: number) => void;
}

export interface FeedHeadHubOptions {
  /** How often the watched heads are read when nothing nudges the hub (ms). */
  intervalMs?: number;
  /** A second look after a nudge, for a write whose transaction commits just after its append (ms). */
  settleMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * Tells open edge streams when their facility's change log moves. ONE query reads the heads of
 * every watched facility per tick (a hundred connected edges cost one query, not a hundred), and
 * only while a stream is open. A write on this instance nudges the hub so its edges hear at once;
 * writes elsewhere (another instance) arrive within one interval. Each subscriber remembers the
 * head it was last told, so a change between its connect and the next read is never lost.
 */
export class FeedHeadHub {
  private readonly subscribers = new Map<string, Set<Subscriber>>();
  private timer: NodeJS.Timeout | null = null;
  private reading = false;
  private again = false;
  private closed = false;
  private readonly intervalMs: number;
  private readonly settleMs: number;

  constructor(
    private readonly readHeads: HeadsReader,
    private readonly options: FeedHeadHubOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 100;
    this.settleMs = options.settleMs ?? 20;
  }

  /** `send` is called with each newer head of `facilityId`; returns the unsubscribe function. */
  subscribe(facilityId: string, seen: number, send: (head: number) => void): () => void {
    if (this.closed) throw new Error('the feed head hub is closed');
    const subscriber: Subscriber = { seen, send };
    let set = this.subscribers.get(facilityId);
    if (set === undefined) {
      set = new Set();
      this.subscribers.set(facilityId, set);
    }
    set.add(subscriber);
    if (this.timer === null && !this.reading) this.schedule(this.intervalMs);
    return () => {
      const current = this.subscribers.get(facilityId);
      current?.delete(subscriber);
      if (current?.size === 0) this.subscribers.delete(facilityId);
    };
  }

  /** Facilities with an open stream right now. */
  get watchedFacilities(): number {
    return this.subscribers.size;
  }

  /** A change log may have moved: read now (and once more shortly, for a commit still in flight). */
  nudge(): void {
    if (this.closed || this.subscribers.size === 0) return;
    this.readSoon(0);
    setTimeout(() => this.readSoon(0), this.settleMs).unref();
  }

  close(): void {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.subscribers.clear();
  }

  private readSoon(delay: number): void {
    if (this.closed || this.subscribers.size === 0) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    if (this.timer !== null) clearTimeout(this.timer);
    this.schedule(delay);
  }

  private schedule(delay: number): void {
    this.timer = setTimeout(() => void this.read(), delay);
    this.timer.unref();
  }

  private async read(): Promise<void> {
    this.timer = null;
    if (this.closed || this.subscribers.size === 0) return;
    this.reading = true;
    this.again = false;
    try {
      const heads = await this.readHeads([...this.subscribers.keys()]);
      for (const [facilityId, set] of this.subscribers) {
        const head = heads.get(facilityId) ?? 0;
        for (const subscriber of set) {
          if (head <= subscriber.seen) continue;
          subscriber.seen = head;
          subscriber.send(head);
        }
      }
    } catch (error) {
      this.options.onError?.(error);
    }
    this.reading = false;
    if (!this.closed && this.subscribers.size > 0) this.schedule(this.again ? 0 : this.intervalMs);
  }
}
