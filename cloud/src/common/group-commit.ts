import { setImmediate } from 'node:timers';

/** How one request of a batch ended. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export async function settle<T>(work: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await work };
  } catch (error) {
    return { ok: false, error };
  }
}

interface Waiting<Req, Res> {
  request: Req;
  resolve: (value: Res) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: requests for the same key (bookings: a facility) that arrive while the key is idle are
 * collected until the event loop has handled the I/O at hand (`setImmediate`), and those that arrive
 * while its batch is being written wait for the next one. `flush` writes a batch and answers every
 * request on its own, so one request's failure is that request's answer alone.
 *
 * At most one batch per key is in flight: under load the queue fills while the database works,
 * so the batches grow with the load and one statement (and one commit) serves many bookings.
 * When idle, a request waits for nothing but the end of the current event-loop turn.
 */
export class GroupCommit<Req, Res> {
  private readonly queues = new Map<string, Waiting<Req, Res>[]>();
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly flush: (key: string, requests: Req[]) => Promise<Settled<Res>[]>,
    private readonly maxBatch = 64,
  ) {}

  submit(key: string, request: Req): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      const queue = this.queues.get(key);
      if (queue) {
        queue.push({ request, resolve, reject });
        return;
      }
      this.queues.set(key, [{ request, resolve, reject }]);
      // In flight: the running batch schedules the next when it is done.
      if (!this.inFlight.has(key)) setImmediate(() => void this.drain(key));
    });
  }

  private async drain(key: string): Promise<void> {
    if (this.inFlight.has(key)) return;
    const queue = this.queues.get(key);
    if (!queue) return;
    const batch = queue.splice(0, this.maxBatch);
    if (queue.length === 0) this.queues.delete(key);
    this.inFlight.add(key);
    try {
      let outcomes: Settled<Res>[];
      try {
        outcomes = await this.flush(
          key,
          batch.map((w) => w.request),
        );
      } catch (error) {
        outcomes = batch.map(() => ({ ok: false, error }));
      }
      batch.forEach((waiting, i) => {
        const outcome = outcomes[i] ?? { ok: false, error: new Error('group commit lost a request') };
        if (outcome.ok) waiting.resolve(outcome.value);
        else waiting.reject(outcome.error);
      });
    } finally {
      this.inFlight.delete(key);
      if (this.queues.has(key)) setImmediate(() => void this.drain(key));
    }
  }
}
