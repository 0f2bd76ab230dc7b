import type { FastifyBaseLogger as Logger } from 'fastify';

/**
 * Whether the cloud answered the last time the edge asked. Shared by the pull loop, the push channel,
 * the uploader and the walk-in forwarder; logs once when the link goes down and once when it comes
 * back, not per retry. Its return (any successful call after a failure) is announced to `onReturn`
 * listeners, so work waiting out a backoff goes at once (docs/architecture.md, "Reconnect").
 */
export class LinkState {
  private up: boolean | null = null;
  private lastErrorText: string | null = null;
  private lastFailureAt: number | null = null;
  private readonly returnListeners: (() => void)[] = [];

  constructor(
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  succeeded(): void {
    const returned = this.up === false;
    if (this.up !== true) this.log.info({ was: this.up === null ? 'unknown' : 'offline' }, 'cloud link up');
    this.up = true;
    this.lastErrorText = null;
    if (returned) for (const listener of this.returnListeners) listener();
  }

  /** `listener` runs each time the link comes back after a failure (not on the first success). */
  onReturn(listener: () => void): void {
    this.returnListeners.push(listener);
  }

  failed(error: unknown): void {
    const text = error instanceof Error ? error.message : String(error);
    if (this.up !== false)
      this.log.warn({ err: text }, 'cloud link down; the edge keeps serving from its replica');
    this.up = false;
    this.lastErrorText = text;
    this.lastFailureAt = this.now();
  }

  get online(): boolean {
    return this.up === true;
  }

  get lastError(): string | null {
    return this.lastErrorText;
  }

  get lastFailure(): number | null {
    return this.lastFailureAt;
  }
}
