import type { FastifyBaseLogger as Logger } from 'fastify';

/**
 * Whether the cloud answered the last time the edge asked. Shared by the pull loop and the uploader;
 * logs once when the link goes down and once when it comes back (docs/architecture.md, health is honest), not
 * per retry.
 */
export class LinkState {
  private up: boolean | null = null;
  private lastErrorText: string | null = null;
  private lastFailureAt: number | null = null;

  constructor(
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  succeeded(): void {
    if (this.up !== true) this.log.info({ was: this.up === null ? 'unknown' : 'offline' }, 'cloud link up');
    this.up = true;
    this.lastErrorText = null;
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
