import type { DeliveryWord, NotificationRepository } from './notification.repository.js';

interface Waiting extends DeliveryWord {
  done: (updated: boolean) => void;
  fail: (error: unknown) => void;
}

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

  /** Whether the word changed the row (a repeat, or anything after a final state, does not). */
  record(word: DeliveryWord): Promise<boolean> {
    return new Promise((done, fail) => {
      this.waiting.push({ ...word, done, fail });
      void this.next();
    });
  }

  private async next(): Promise<void> {
    if (this.writing || this.waiting.length === 0) return;
    this.writing = true;
    const batch = this.waiting;
    this.waiting = [];
    try {
      const written = await this.repo.recordDeliveries(batch);
      for (const w of batch) w.done(written.get(w.sid) === w.status);
    } catch (error) {
      for (const w of batch) w.fail(error);
    } finally {
      this.writing = false;
      void this.next();
    }
  }
}
