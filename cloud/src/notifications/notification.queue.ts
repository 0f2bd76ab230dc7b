import { createHash } from 'node:crypto';
import { EXTEND_OFFER } from '@clubos/shared/notifications';
import type { FastifyBaseLogger } from 'fastify';
import { type Clock, type Job, type PgBoss, systemClock } from 'pg-boss';
import {
  type BookingFacts,
  type MessageRow,
  type NotificationRepository,
  reminderKey,
} from './notification.repository.js';
import type { SendOutcome } from './notification.sender.js';
import { reminderOffsets } from './reminder-offsets.js';
import { SMS_KINDS } from './sms.templates.js';

export const SEND_QUEUE = 'notify-send';
export const REMINDER_QUEUE = 'notify-reminder';
export const EXTEND_QUEUE = 'notify-extend';

/** The "10 minutes left — extend?" offer goes this long before a booking ends. */
export const EXTEND_OFFER_LEAD_MINUTES = EXTEND_OFFER.leadMinutes;

/** Whether a session may take the next slot on its bay now (the booking service decides). */
export type ExtendCheck = (bookingId: string, expectedEnd: number) => Promise<boolean>;

interface ExtendJob {
  bookingId: string;
  facilityId: string;
  version: number;
  endMs: number;
}

interface SendJob {
  messageId: number;
  /** Absent in jobs made before channels existed: email. */
  channel?: string;
}

/** What sends one channel's messages (email over SMTP, SMS through Twilio). */
export interface ChannelSender {
  /** `prefetched`: the message's facts, read with its batch's (read by the sender otherwise). */
  send(messageId: number, prefetched?: BookingFacts): Promise<SendOutcome>;
  giveUp(messageId: number, reason: string): Promise<void>;
  close(): void;
}

/** The channels that can send in this process; a channel absent here keeps its rows pending. */
export type ChannelSenders = Partial<Record<'email' | 'sms', ChannelSender>>;
interface ReminderJob {
  bookingId: string;
  facilityId: string;
  version: number;
  offsetMinutes: number;
}

/** A job id that only this key makes: sending it twice (a retry, two instances) makes one job. */
export function jobIdOf(key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface QueueOptions {
  pollIntervalMs: number;
  retryLimit: number;
  retryDelaySeconds: number;
  /** pg-boss's clock and ours (reminder times, "already started"): a TestClock in the DST test. */
  clock?: Clock;
  /** Asked when an extend offer falls due; absent: no extend offers. */
  canExtend?: ExtendCheck;
}

/**
 * The notifications' job queue on pg-boss (PostgreSQL, or PGlite through its adapter). A dispatch
 * pass turns outbox rows into jobs (a send now; for a confirmation or reschedule, one reminder job
 * per offset, due `offset` before the start); workers send. Every job id comes from its key, so
 * the pass may run on every instance, and again after a crash, without a job twice.
 */
export class NotificationQueue {
  private readonly clock: Clock;
  private timer: unknown = null;
  private passing: Promise<number> | null = null;
  private started = false;

  constructor(
    private readonly boss: PgBoss,
    private readonly repo: NotificationRepository,
    private readonly senders: ChannelSenders,
    private readonly log: FastifyBaseLogger,
    private readonly options: QueueOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    // pg-boss reports its own failures (a lost connection, a failed maintenance) as events.
    boss.on('error', (error) => this.log.error({ err: error }, 'job queue error'));
  }

  now(): number {
    return this.clock.now();
  }

  async start(): Promise<void> {
    await this.boss.start();
    const retry = {
      retryLimit: this.options.retryLimit,
      retryDelay: this.options.retryDelaySeconds,
      retryBackoff: true,
      retryDelayMax: 15 * 60,
      // A worker that died mid-send (kill -9) stops heartbeating: its jobs run again within ~20 s.
      heartbeatSeconds: 10,
    };
    await this.boss.createQueue(SEND_QUEUE, retry);
    await this.boss.createQueue(REMINDER_QUEUE, retry);
    await this.boss.createQueue(EXTEND_QUEUE, retry);
    const polling = { pollingIntervalSeconds: Math.max(0.5, this.options.pollIntervalMs / 1000) };
    // A full batch fetches the next at once (a due minute of reminders drains without poll gaps).
    const batch = { ...polling, batchSize: 50, burstWhenBatchFull: true };
    await this.boss.work<SendJob>(SEND_QUEUE, batch, async (jobs) => {
      await Promise.all(
        jobs.map((job) => this.runSend(job, job.data.messageId, job.data.channel ?? 'email')),
      );
    });
    await this.boss.work<ReminderJob>(REMINDER_QUEUE, batch, (jobs) => this.runReminders(jobs));
    await this.boss.work<ExtendJob>(EXTEND_QUEUE, batch, async (jobs) => {
      await Promise.all(jobs.map((job) => this.runExtendOffer(job)));
    });
    this.timer = this.clock.setInterval(
      () => void this.dispatch().catch(() => {}),
      this.options.pollIntervalMs,
    );
    this.started = true;
  }

  async stop(): Promise<void> {
    if (this.timer !== null) this.clock.clearInterval(this.timer);
    this.timer = null;
    await this.passing?.catch(() => {});
    if (this.started) await this.boss.stop({ graceful: true, timeout: 5_000 });
    this.started = false;
    for (const sender of Object.values(this.senders)) sender.close();
  }

  /** One dispatch pass (also run by the timer); passes never overlap in one process. */
  dispatch(): Promise<number> {
    this.passing ??= this.dispatchPass().finally(() => {
      this.passing = null;
    });
    return this.passing;
  }

  /** The channels this process sends; each row is for one of them. */
  channels(): string[] {
    return Object.keys(this.senders);
  }

  private async dispatchPass(): Promise<number> {
    // Producers write one (email) row per event; SMS rows are its siblings, made here once.
    if (this.senders.sms) await this.repo.fanOut('sms', SMS_KINDS);
    const rows = await this.repo.pending(200, this.channels());
    if (rows.length === 0) return 0;
    for (const row of rows) await this.enqueue(row);
    await this.repo.markQueued(
      rows.map((r) => Number(r.id)),
      new Date(this.now()),
    );
    return rows.length;
  }

  private async enqueue(row: MessageRow): Promise<void> {
    const id = Number(row.id);
    await this.boss.send(SEND_QUEUE, { messageId: id, channel: row.channel } satisfies SendJob, {
      id: jobIdOf(`send:${id}:${row.retry_round}`),
    });
    if (row.kind !== 'confirmation' && row.kind !== 'reschedule') return;
    const facts = await this.repo.facts(id);
    if (!facts) return;
    await this.scheduleExtendOffer(facts.bookingId, facts.facilityId, Number(row.version), facts.end);
    for (const offsetMinutes of reminderOffsets(facts.settings)) {
      const due = facts.start.getTime() - offsetMinutes * 60_000;
      if (due <= this.now()) continue;
      const data: ReminderJob = {
        bookingId: facts.bookingId,
        facilityId: facts.facilityId,
        version: Number(row.version),
        offsetMinutes,
      };
      await this.boss.send(REMINDER_QUEUE, data, {
        id: jobIdOf(`reminder:${facts.bookingId}:${row.version}:${offsetMinutes}`),
        startAfter: new Date(due),
      });
    }
  }

  /** One job per (booking, version, end), due ten minutes before the end; decided when it runs. */
  private async scheduleExtendOffer(bookingId: string, facilityId: string, version: number, end: Date) {
    if (!this.options.canExtend) return;
    const due = end.getTime() - EXTEND_OFFER_LEAD_MINUTES * 60_000;
    if (due <= this.now()) return;
    const data: ExtendJob = { bookingId, facilityId, version, endMs: end.getTime() };
    await this.boss.send(EXTEND_QUEUE, data, {
      id: jobIdOf(`extend:${bookingId}:${version}:${end.getTime()}`),
      startAfter: new Date(due),
    });
  }

  /**
   * At end − 10 min: still this version and end (not moved, cancelled or extended), and the next
   * slot on the bay free → one `extend_offer` row (SMS, and in-app by being a row), keyed by the
   * end, so a retry or a second instance finds it.
   */
  private async runExtendOffer(job: Job<ExtendJob>): Promise<void> {
    const { bookingId, facilityId, version, endMs } = job.data;
    if ((await this.repo.currentVersions([bookingId])).get(bookingId) !== version) return;
    if (!(await this.options.canExtend?.(bookingId, endMs))) return;
    const messageId = await this.repo.reminderRow(
      bookingId,
      facilityId,
      version,
      Math.round(endMs / 60_000),
      'sms',
      'extend_offer',
    );
    await this.runSend(job, messageId, 'sms');
  }

  /**
   * A batch of due reminders, read and written set-wise (one version read, one rows statement and
   * one facts read for the batch: a due minute of 10,000 costs ~3 round trips per message, not 9).
   * Each send still claims its row and checks staleness on facts read just now.
   */
  private async runReminders(jobs: Job<ReminderJob>[]): Promise<void> {
    const versions = await this.repo.currentVersions(jobs.map((job) => job.data.bookingId));
    // A stale reminder (the booking moved or was cancelled) is not even written down.
    const due = jobs.filter((job) => versions.get(job.data.bookingId) === job.data.version);
    if (due.length === 0) return;
    const channels = this.channels();
    const ids = await this.repo.reminderRows(
      due.map((job) => job.data),
      channels,
    );
    const facts = await this.repo.factsOf([...ids.values()]);
    const results = await Promise.allSettled(due.map((job) => this.runReminder(job, channels, ids, facts)));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }

  private async runReminder(
    job: Job<ReminderJob>,
    channels: string[],
    ids: Map<string, number>,
    facts: Map<number, BookingFacts>,
  ): Promise<void> {
    const { bookingId, facilityId, version, offsetMinutes } = job.data;
    // One row per channel; a retry of this job finds the channel already sent and skips it.
    const results = await Promise.allSettled(
      channels.map(async (channel) => {
        const messageId =
          ids.get(reminderKey(bookingId, version, offsetMinutes, channel)) ??
          (await this.repo.reminderRow(bookingId, facilityId, version, offsetMinutes, channel));
        await this.runSend(job, messageId, channel, facts.get(messageId));
      }),
    );
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }

  /** Throws to make pg-boss retry with backoff; on the last attempt the message is marked failed. */
  private async runSend(
    job: Job<unknown>,
    messageId: number,
    channel: string,
    prefetched?: BookingFacts,
  ): Promise<void> {
    const sender = this.senders[channel as keyof ChannelSenders];
    if (!sender) return;
    const outcome = await sender.send(messageId, prefetched);
    if (outcome.result === 'sent' || outcome.result === 'skipped') return;
    if (outcome.result === 'later') {
      // Its own job, due when the quiet hours end; the id makes a repeat of this run the same job.
      await this.boss.send(SEND_QUEUE, { messageId, channel } satisfies SendJob, {
        id: jobIdOf(`send:${messageId}:later:${outcome.until}`),
        startAfter: new Date(outcome.until),
      });
      return;
    }
    if (outcome.result === 'failed') {
      this.log.warn({ messageId, reason: outcome.reason }, 'notification refused for good');
      return;
    }
    if (job.retryCount >= this.options.retryLimit) {
      await sender.giveUp(messageId, `gave up after ${job.retryCount + 1} attempts: ${outcome.reason}`);
      this.log.warn({ messageId, reason: outcome.reason }, 'notification failed after its retries');
      return;
    }
    throw new Error(outcome.reason);
  }
}
