import type { FastifyBaseLogger as Logger } from 'fastify';
import { retryDelay, sleep } from './backoff.js';
import { type CloudFeed, FeedError } from './cloud-feed.js';

export interface PushChannelOptions {
  heartbeatMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /**
   * Longest wait before reopening while the cloud gives no answer at all (default 200 ms): the
   * stream is then the link's probe, so the edge learns within this long that its line is back.
   */
  probeMs?: number;
}

const DEFAULT_PROBE_MS = 200;

/**
 * Keeps the cloud's change stream (`feed.watch`) open and reconnects it with backoff and jitter when
 * it drops. `onHead` gets every head the cloud announces; `onState` fires when the stream comes up
 * or goes down, so the pull loop can switch between pulling on nudges and long-polling. While the
 * cloud cannot be reached at all, reopening is the link's probe: every `probeMs` at most (an answer
 * such as 503 or 429 keeps the full backoff, so a struggling cloud is not pressed).
 */
export class PushChannel {
  onHead: (head: number) => void = () => {};
  onState: (connected: boolean) => void = () => {};
  /** How many times the stream was opened (tests, status). */
  connections = 0;
  private up = false;
  private controller = new AbortController();
  private wakeController = new AbortController();
  private running: Promise<void> | null = null;
  private failures = 0;

  constructor(
    private readonly watch: NonNullable<CloudFeed['watch']>,
    private readonly options: PushChannelOptions,
    private readonly log: Logger,
  ) {}

  get connected(): boolean {
    return this.up;
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
    await this.running;
  }

  /** The cloud answered another call: reopen now rather than after the backoff. */
  linkReturned(): void {
    this.failures = 0;
    this.wakeController.abort();
  }

  private setUp(up: boolean): void {
    if (this.up === up) return;
    this.up = up;
    this.onState(up);
  }

  private async loop(): Promise<void> {
    const signal = this.controller.signal;
    this.failures = 0;
    while (!signal.aborted) {
      let error: unknown = null;
      try {
        await this.watch(
          (head) => {
            if (!this.up) {
              this.connections++;
              this.failures = 0;
              this.log.debug({ head }, 'change stream connected');
            }
            this.setUp(true);
            this.onHead(head);
          },
          this.options.heartbeatMs,
          signal,
        );
      } catch (caught) {
        error = caught;
      }
      this.setUp(false);
      if (signal.aborted) break;
      if (error !== null && this.failures === 0) {
        this.log.info(
          { err: error instanceof Error ? error.message : error },
          'change stream down; long-polling',
        );
      }
      await this.pause(error, signal);
    }
  }

  private async pause(error: unknown, signal: AbortSignal): Promise<void> {
    // A cloud without the stream (404) or a refused key: try again, but rarely.
    const slow = error instanceof FeedError && error.kind !== 'retry';
    const backoff = slow ? this.options.backoffMaxMs : retryDelay(this.failures++, this.options, null);
    const probeMs = this.options.probeMs ?? DEFAULT_PROBE_MS;
    // Jittered between half and all of probeMs, so edges cut off together do not knock in step.
    const probe = probeMs / 2 + Math.random() * (probeMs / 2);
    const unreachable = error instanceof FeedError && error.unreachable;
    this.wakeController = new AbortController();
    await sleep(
      unreachable ? Math.min(backoff, probe) : backoff,
      AbortSignal.any([signal, this.wakeController.signal]),
    );
  }
}
