import type { DeliveryWord, NotificationRepository } from './notification.repository.js';

interface Waiting extends DeliveryWord {
  /** Writes tried so far for a SID no row has yet. */
  tries: number;
  done: (updated: boolean) => void;
  fail: (error: unknown) => void;
}

/** A callback can beat the send's own record of its SID (the create's answer): tried again for ~5 s. */
const UNKNOWN_SID_TRIES = 20;
const UNKNOWN_SID_DELAY_MS = 250;

/**
 * Status callbacks written together (group commit): the first goes at once; those that arrive while
 * a write is under way wait for it to end and go in the next one, a single statement. Each callback
 * is answered only once its word is written, so Twilio's retry still covers a failed write. At
 * 10,000 texts a minute (20,000 callbacks that write) this turns a round trip per callback into a
 * few per second.
 */
export class DeliveryStatusWriter {
  private waiting: Waiting[] = [];
  private writing = false;

  constructor(private readonly repo: NotificationRepository) {}

  /** Whether the word changed the row (a repeat, anything after a final state or an unknown SID does not). */
  record(word: DeliveryWord): Promise<boolean> {
    return new Promise((done, fail) => this.enqueue({ ...word, tries: 0, done, fail }));
  }

  private enqueue(w: Waiting): void {
    this.waiting.push(w);
    void this.next();
  }

  private async next(): Promise<void> {
    if (this.writing || this.waiting.length === 0) return;
    this.writing = true;
    const batch = this.waiting;
    this.waiting = [];
    try {
      const answered = await this.repo.recordDeliveries(batch);
      for (const w of batch) {
        if (answered.has(w.sid) || w.tries + 1 >= UNKNOWN_SID_TRIES) {
          w.done(answered.get(w.sid) === w.status);
        } else {
          setTimeout(() => this.enqueue({ ...w, tries: w.tries + 1 }), UNKNOWN_SID_DELAY_MS).unref();
        }
      }
    } catch (error) {
      for (const w of batch) w.fail(error);
    } finally {
      this.writing = false;
      void this.next();
    }
  }
}
