import type pg from 'pg';
import { hostListClient } from '../db/host-list.js';

export const CHANGE_CHANNEL = 'clubos_change';

export interface ChangeNotifyListenerOptions {
  url: string;
  instanceId: string;
  /** Called with the facility id of each committed change-log append, on any instance. */
  onChange: (facilityId: string) => void;
  onError?: (error: unknown) => void;
  reconnectMs?: number;
}

/**
 * `LISTEN clubos_change` on one dedicated connection (a pooled one would lose the LISTEN with its
 * session). A trigger on change_log notifies after each commit (drizzle/…_change-notify.sql), so a
 * booking answered by instance A wakes the edge streams, long-polls and availability streams held
 * by instance B at once. The database stays the source of truth: the streams keep their fallback
 * poll, which finds what a notification lost while disconnected would have told.
 */
export class ChangeNotifyListener {
  private client: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;

  constructor(private readonly options: ChangeNotifyListenerOptions) {}

  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    const client = hostListClient(this.options.url, {
      application_name: `clubos-listen:${this.options.instanceId}`,
      keepAlive: true,
    });
    const lost = (error?: unknown) => {
      if (error) this.options.onError?.(error);
      if (this.client !== client) return;
      this.client = null;
      client.end().catch(() => {});
      this.retry();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (message) => {
      if (message.channel === CHANGE_CHANNEL && message.payload) this.options.onChange(message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
    } catch (error) {
      this.options.onError?.(error);
      client.end().catch(() => {});
      this.retry();
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
  }

  private retry(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, this.options.reconnectMs ?? 1_000);
    this.timer.unref();
  }
}
