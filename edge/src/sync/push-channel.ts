import type { FastifyBaseLogger as Logger } from 'fastify';
import { retryDelay, sleep } from './backoff.js';
import { type CloudFeed, FeedError } from './cloud-feed.js';

export interface PushChannelOptions {
  heartbeatMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

/**
 * Keeps the cloud's change stream (`feed.watch`) open and reconnects it with backoff and jitter when
 * it drops. `onHead` gets every head the cloud announces; `onState` fires when the stream comes up
 * or goes down, so the pull loop can switch between pulling on nudges and long-polling.
 */
export class PushChannel {
  onHead: (head: number) => void = () => {};
  onState: (connected: boolean) => void = () => {};
  /** How many times the stream was opened (tests, status). */
  connections = 0;
  private up = false;
  private controller = new AbortController();
  private running: Promise<void> | null = null;

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

  private setUp(up: boolean): void {
    if (this.up === up) return;
    this.up = up;
    this.onState(up);
  }

  private async loop(): Promise<void> {
    const signal = this.controller.signal;
    let failures = 0;
    while (!signal.aborted) {
      let error: unknown = null;
      try {
        await this.watch(
          (head) => {
            if (!this.up) {
              this.connections++;
              failures = 0;
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
      if (error !== null && failures === 0) {
        this.log.info(
          { err: error instanceof Error ? error.message : error },
          'change stream down; long-polling',
        );
      }
      // A cloud without the stream (404) or a refused key: try again, but rarely.
      const slow = error instanceof FeedError && error.kind !== 'retry';
      const pause = slow ? this.options.backoffMaxMs : retryDelay(failures++, this.options, null);
      await sleep(pause, signal);
    }
  }
}
