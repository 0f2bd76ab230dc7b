import { EventEmitter } from 'node:events';
import type pg from 'pg';
import { hostListClient } from '../db/host-list.js';

/** The advisory lock key of the periodic-work lease ("clubos-leader" as one 64-bit number). */
export const LEADER_LOCK_KEY = 7_342_110_583_265_101n;

export interface LeaderLeaseOptions {
  /** PostgreSQL URL; absent (embedded PGlite, one process) → this instance always leads. */
  url?: string | undefined;
  /** Shown in pg_stat_activity.application_name, so an operator (and a test) sees who leads. */
  instanceId: string;
  /** How often a follower tries the lock and a leader checks its connection (ms). */
  retryMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * "Which instance runs the periodic work": a session-level `pg_try_advisory_lock` held on ONE
 * dedicated connection (never a pooled one, whose session would be shared). PostgreSQL drops the lock
 * the moment that connection ends (a SIGKILLed leader's socket is closed by the kernel), and the
 * followers try again every `retryMs`, so a dead leader is replaced within about `retryMs`
 * (docs/decisions/012-several-cloud-instances.md). A leader that loses its connection stops leading
 * at once; the jobs it gates are idempotent, so the short overlap of a pass in flight is harmless.
 */
export class LeaderLease extends EventEmitter<{ change: [held: boolean] }> {
  private client: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private isHeld: boolean;
  private stopped = true;
  private ticking: Promise<void> | null = null;
  private readonly retryMs: number;

  constructor(private readonly options: LeaderLeaseOptions) {
    super();
    this.isHeld = !options.url;
    this.retryMs = options.retryMs ?? 2_000;
  }

  /** True while this instance holds the lease (always, on embedded PGlite). */
  get held(): boolean {
    return this.isHeld;
  }

  get instanceId(): string {
    return this.options.instanceId;
  }

  async start(): Promise<void> {
    if (!this.options.url || !this.stopped) return;
    this.stopped = false;
    await this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.ticking;
    const client = this.client;
    const held = this.isHeld;
    this.client = null;
    this.set(false);
    // Unlocked before the session ends: a backend still exiting after end() would hold the lock a
    // moment longer, and the next leader's first try would miss it.
    if (client && held)
      await client.query('select pg_advisory_unlock($1)', [LEADER_LOCK_KEY.toString()]).catch(() => {});
    await client?.end().catch(() => {});
  }

  private tick(): Promise<void> {
    this.ticking ??= this.tryOnce().finally(() => {
      this.ticking = null;
      if (!this.stopped) {
        this.timer = setTimeout(() => void this.tick(), this.retryMs);
        this.timer.unref();
      }
    });
    return this.ticking;
  }

  private async tryOnce(): Promise<void> {
    try {
      const client = this.client ?? (await this.connect());
      if (this.isHeld) {
        await client.query('select 1');
        return;
      }
      const { rows } = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [
        LEADER_LOCK_KEY.toString(),
      ]);
      this.set(rows[0]?.ok === true);
    } catch (error) {
      this.options.onError?.(error);
      this.drop();
    }
  }

  private async connect(): Promise<pg.Client> {
    const client = hostListClient(this.options.url!, {
      application_name: `clubos:${this.options.instanceId}`,
      keepAlive: true,
    });
    // A lost connection has lost the lock with it: stop leading now, reconnect on the next tick.
    client.on('error', (error) => {
      this.options.onError?.(error);
      if (this.client === client) this.drop();
    });
    client.on('end', () => {
      if (this.client === client) this.drop();
    });
    await client.connect();
    this.client = client;
    return client;
  }

  private drop(): void {
    const client = this.client;
    this.client = null;
    this.set(false);
    client?.end().catch(() => {});
  }

  private set(held: boolean): void {
    if (held === this.isHeld) return;
    this.isHeld = held;
    this.emit('change', held);
  }
}
