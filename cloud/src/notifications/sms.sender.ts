import { quietHoursOf, quietUntil } from '@clubos/shared/notifications';
import type { Twilio } from 'twilio';
import { channelOffReason } from './channel-choice.js';
import type { LinkTokens } from './link-tokens.js';
import { messageLinks } from './message-links.js';
import type { BookingFacts, NotificationRepository } from './notification.repository.js';
import type { SendOutcome } from './notification.sender.js';
import { staleReason } from './notification.staleness.js';
import { renderSms } from './sms.templates.js';
import type { SmsOptOutRepository } from './sms-opt-out.repository.js';

export interface SmsSenderOptions {
  from: string | undefined;
  messagingServiceSid: string | undefined;
  publicUrl: string;
  clock: () => number;
}

/**
 * Kinds sent even in quiet hours: they answer what the customer just did (booked, moved,
 * cancelled) and carry the door PIN. Everything else (reminders, waitlist offers, receipts…) waits
 * for the end of the quiet hours (decision 011).
 */
const ANSWERS_THE_CUSTOMER = new Set(['confirmation', 'reschedule', 'cancellation']);

/** Twilio refusals that no retry fixes (bad or unreachable number, opted out, region blocked). */
const PERMANENT_CODES = new Set([21211, 21408, 21610, 21612, 21614, 21606, 21602, 21617, 21266]);
const OPTED_OUT = 21610;

interface TwilioError {
  status?: number;
  code?: number;
  message?: string;
}

/**
 * Sends one outbox message as an SMS through the official `twilio` SDK. Twilio takes no idempotency
 * key, so exactly once rests on the row: a message whose earlier attempt may have reached Twilio (a
 * timeout, a crash before `sent` was recorded) is first looked up in Twilio's own list (same number,
 * same text, since the row was made) and recorded instead of being sent again (decision 011).
 */
export class SmsSender {
  constructor(
    private readonly repo: NotificationRepository,
    private readonly optOuts: SmsOptOutRepository,
    private readonly client: Twilio,
    private readonly links: LinkTokens,
    private readonly options: SmsSenderOptions,
  ) {}

  /** `prefetched`: the facts read for a batch just now (they are read here otherwise). */
  async send(messageId: number, prefetched?: BookingFacts): Promise<SendOutcome> {
    const facts = prefetched ?? (await this.repo.facts(messageId));
    if (!facts) return { result: 'skipped', reason: 'message or booking not found' };
    if (facts.status === 'sent' || facts.status === 'skipped' || facts.status === 'failed') {
      return { result: 'skipped', reason: `already ${facts.status}` };
    }
    const skip = await this.skipReason(facts);
    if (skip) {
      await this.repo.end(messageId, 'skipped', skip);
      return { result: 'skipped', reason: skip };
    }
    const quiet = this.quietUntil(facts);
    if (quiet !== undefined) {
      // A reminder after the start, or an extend offer after the end, would be of no use.
      const uselessFrom = facts.kind === 'extend_offer' ? facts.end : facts.start;
      if ((facts.kind === 'reminder' || facts.kind === 'extend_offer') && quiet >= uselessFrom.getTime()) {
        const reason = `quiet hours last until after the booking ${facts.kind === 'reminder' ? 'starts' : 'ends'}`;
        await this.repo.end(messageId, 'skipped', reason);
        return { result: 'skipped', reason };
      }
      return { result: 'later', until: quiet, reason: 'facility SMS quiet hours' };
    }
    const to = facts.phone!;
    const body = renderSms(facts.kind, facts, this.context(facts))!;
    const claimed = await this.repo.claimSms(messageId, to);
    if (!claimed) return { result: 'skipped', reason: 'already ended' };
    try {
      // An earlier attempt may have reached Twilio without our record of it: find it, do not resend.
      const earlier =
        Number(claimed.attempts) > 1 ? await this.findSent(to, body, facts.createdAt) : undefined;
      const message =
        earlier ??
        (await this.client.messages.create({
          to,
          body,
          ...(this.options.messagingServiceSid
            ? { messagingServiceSid: this.options.messagingServiceSid }
            : { from: this.options.from! }),
          statusCallback: `${this.options.publicUrl}/api/v1/webhooks/twilio/status`,
        }));
      await this.repo.markSmsSent(messageId, message.sid, message.status, new Date(this.options.clock()));
      return { result: 'sent', messageId: message.sid };
    } catch (error) {
      const e = error as TwilioError;
      const reason = `${e.status ?? ''} ${e.code ?? ''} ${e.message ?? String(error)}`.trim().slice(0, 1000);
      if (e.code === OPTED_OUT) await this.optOuts.optOut(to, 'twilio-21610');
      if (e.code !== undefined && PERMANENT_CODES.has(e.code)) {
        await this.repo.end(messageId, 'failed', reason);
        return { result: 'failed', reason };
      }
      await this.repo.noteError(messageId, reason);
      return { result: 'retry', reason };
    }
  }

  async giveUp(messageId: number, reason: string): Promise<void> {
    await this.repo.end(messageId, 'failed', reason);
  }

  close(): void {}

  /** Why this text is not sent at all: stale, nothing to say by SMS, no number, opted out. */
  private async skipReason(f: BookingFacts): Promise<string | undefined> {
    const stale = staleReason(f, this.options.clock());
    if (stale) return stale;
    if (!renderSms(f.kind, f)) return `no SMS text for ${f.kind}`;
    if (!f.phone) return 'the customer has no phone number';
    const off = channelOffReason(f, 'sms');
    if (off) return off;
    if (!/^\+[1-9]\d{1,14}$/.test(f.phone)) return `the phone ${f.phone} is not E.164`;
    if (f.smsOptedOut) return 'the number opted out of SMS (STOP)';
    return undefined;
  }

  /** When the facility's quiet hours end, if this text falls in them and may wait. */
  private quietUntil(f: BookingFacts): number | undefined {
    if (ANSWERS_THE_CUSTOMER.has(f.kind)) return undefined;
    const quiet = quietHoursOf(f.settings);
    return quiet ? quietUntil(this.options.clock(), f.timezone, quiet) : undefined;
  }

  private context(f: BookingFacts) {
    return messageLinks(this.links, this.options.publicUrl, f);
  }

  /**
   * The message an earlier attempt created, if Twilio has it: the newest to this number with the
   * same text, made since the row. No DateSent filter: a message still queued has no date sent yet.
   */
  private async findSent(to: string, body: string, since: Date) {
    const recent = await this.client.messages.list({ to, limit: 50 });
    return recent.find(
      (m) =>
        m.body === body && m.direction !== 'inbound' && m.dateCreated.getTime() >= since.getTime() - 60_000,
    );
  }
}
