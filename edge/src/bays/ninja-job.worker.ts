import type { Logger } from 'pino';
import type { AlertService } from '../alerts/alert.service.js';
import type { EdgeDatabase } from '../db/database.js';
import { backoffDelay } from '../http/retry.js';
import {
  finishNinjaJob,
  type NinjaJobRecord,
  pendingNinjaJobs,
  retryNinjaJobLater,
} from './ninja-job.repository.js';
import { type NinjaOneClient, NinjaOneError } from './ninjaone.client.js';

export interface NinjaJobWorkerOptions {
  database: EdgeDatabase;
  client: NinjaOneClient;
  alerts: AlertService;
  log: Logger;
  now: () => number;
  /** Backoff between attempts while NinjaOne is down (full jitter, capped). */
  baseDelayMs?: number;
  maxDelayMs?: number;
}

const BATCH = 50;

/**
 * Runs queued NinjaOne scripts (docs/decisions/009-external-systems-never-block.md: external systems never
 * block the venue).
 * A job leaves `pending` only when NinjaOne accepted the run or refused it for good; while it is
 * down, rate-limited (Retry-After honoured) or its credentials fail, the job waits and is retried.
 * Jobs of one device run in queue order: a CLEANUP never overtakes the PREP still waiting before it.
 */
export class NinjaJobWorker {
  private running: Promise<number> | null = null;
  private downSince: number | null = null;

  constructor(private readonly options: NinjaJobWorkerOptions) {}

  /** One pass over the due jobs; returns how many finished. Overlapping calls share the pass. */
  runDue(): Promise<number> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(): Promise<number> {
    const { database } = this.options;
    const waiting = new Set<number>();
    let finished = 0;
    for (const job of pendingNinjaJobs(database.db, BATCH)) {
      if (waiting.has(job.device_id)) continue;
      const now = this.options.now();
      if (job.next_attempt_at > now) {
        waiting.add(job.device_id);
        continue;
      }
      const validUntil = job.parameters.valid_until;
      if (typeof validUntil === 'number' && now >= validUntil) {
        database.immediate(() =>
          finishNinjaJob(
            database.db,
            job.id,
            'skipped',
            now,
            'stale: the session ended before NinjaOne could run it',
          ),
        );
        finished++;
        continue;
      }
      if (await this.attempt(job)) finished++;
      else waiting.add(job.device_id);
    }
    return finished;
  }

  private async attempt(job: NinjaJobRecord): Promise<boolean> {
    const { database, client, alerts, log } = this.options;
    try {
      await client.runScript(job.device_id, job.script, job.parameters);
    } catch (error) {
      const now = this.options.now();
      const message = error instanceof Error ? error.message : String(error);
      const kind = error instanceof NinjaOneError ? error.kind : 'unavailable';
      if (kind === 'unavailable' || kind === 'rate_limited' || kind === 'auth') {
        const retryAfter = error instanceof NinjaOneError ? error.retryAfterMs : undefined;
        const delay = Math.max(
          retryAfter ?? 0,
          backoffDelay(job.attempts, {
            retries: 0,
            baseDelayMs: this.options.baseDelayMs ?? 2_000,
            maxDelayMs: this.options.maxDelayMs ?? 300_000,
          }),
        );
        database.immediate(() => retryNinjaJobLater(database.db, job.id, now + Math.max(delay, 1), message));
        this.markDown(kind, message);
        return false;
      }
      database.immediate(() => finishNinjaJob(database.db, job.id, 'failed', now, message));
      alerts.raise({
        dedupe_key: `ninja_job_failed:${job.id}`,
        kind: 'ninja_job_failed',
        severity: 'warning',
        subject: String(job.device_id),
        message: `NinjaOne refused ${job.script} on device ${job.device_id}: ${message}`,
        details: { job_key: job.job_key },
      });
      return true;
    }
    const now = this.options.now();
    database.immediate(() => finishNinjaJob(database.db, job.id, 'done', now));
    this.markUp();
    log.info({ device: job.device_id, script: job.script, job: job.job_key }, 'NinjaOne script started');
    return true;
  }

  private markDown(kind: string, message: string): void {
    if (this.downSince !== null) return;
    this.downSince = this.options.now();
    this.options.alerts.raise({
      dedupe_key: 'ninjaone_unreachable',
      kind: 'ninjaone_unreachable',
      severity: kind === 'auth' ? 'critical' : 'warning',
      subject: null,
      message: `NinjaOne cannot run bay scripts (${message}); jobs are queued and retried`,
    });
  }

  private markUp(): void {
    if (this.downSince === null) return;
    this.downSince = null;
    this.options.alerts.resolve('ninjaone_unreachable');
  }
}
