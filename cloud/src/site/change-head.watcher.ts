/** Reads a facility's change-log head (its last sequence number). */
export type HeadReader = (facilityId: string) => Promise<number>;
export type HeadListener = (seq: number) => void;

interface Watch {
  listeners: Set<HeadListener>;
  lastSeq: number | null;
  timer: NodeJS.Timeout | null;
  polling: boolean;
  /** A nudge came while a read was in flight: read once more straight after it. */
  again: boolean;
}

/**
 * One poll of the change-log head per facility, shared by every subscriber of that facility
 * (so a hundred open booking pages cost one query per interval, not a hundred). Polling starts
 * with the first subscriber and stops with the last; `close()` stops everything.
 */
export class ChangeHeadWatcher {
  private readonly watches = new Map<string, Watch>();
  private closed = false;

  constructor(
    private readonly readHead: HeadReader,
    private readonly intervalMs = 250,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  /** Calls `listener` each time the head moves; returns the unsubscribe function. */
  subscribe(facilityId: string, listener: HeadListener): () => void {
    if (this.closed) throw new Error('the change-head watcher is closed');
    let watch = this.watches.get(facilityId);
    if (!watch) {
      watch = { listeners: new Set(), lastSeq: null, timer: null, polling: false, again: false };
      this.watches.set(facilityId, watch);
      this.schedule(facilityId, watch, 0);
    }
    watch.listeners.add(listener);
    return () => {
      const current = this.watches.get(facilityId);
      if (!current) return;
      current.listeners.delete(listener);
      if (current.listeners.size === 0) {
        if (current.timer) clearTimeout(current.timer);
        this.watches.delete(facilityId);
      }
    };
  }

  /** Facilities being polled right now (for tests and metrics). */
  get activeFacilities(): number {
    return this.watches.size;
  }

  /**
   * Reads every watched head now instead of at the next tick: called after a write answered on
   * this instance, so its own bookings reach open pages at once. Writes elsewhere (another
   * instance, an edge upload) still arrive within one interval.
   */
  nudge(): void {
    for (const [facilityId, watch] of this.watches) {
      if (watch.polling) {
        watch.again = true;
        continue;
      }
      if (watch.timer) clearTimeout(watch.timer);
      this.schedule(facilityId, watch, 0);
    }
  }

  close(): void {
    this.closed = true;
    for (const watch of this.watches.values()) if (watch.timer) clearTimeout(watch.timer);
    this.watches.clear();
  }

  private schedule(facilityId: string, watch: Watch, delay: number): void {
    watch.timer = setTimeout(() => void this.poll(facilityId, watch), delay);
    watch.timer.unref?.();
  }

  private async poll(facilityId: string, watch: Watch): Promise<void> {
    watch.timer = null;
    watch.polling = true;
    watch.again = false;
    try {
      const seq = await this.readHead(facilityId);
      // The first read only sets the baseline: subscribers already loaded the current state.
      if (watch.lastSeq !== null && seq !== watch.lastSeq) {
        for (const listener of [...watch.listeners]) listener(seq);
      }
      watch.lastSeq = seq;
    } catch (error) {
      this.onError(error);
    }
    watch.polling = false;
    // Re-arm only if this facility is still watched (the last subscriber may have left meanwhile).
    if (!this.closed && this.watches.get(facilityId) === watch) {
      this.schedule(facilityId, watch, watch.again ? 0 : this.intervalMs);
    }
  }
}
