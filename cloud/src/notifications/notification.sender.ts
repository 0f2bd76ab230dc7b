import { ENTRY_KINDS } from '@clubos/shared/notifications';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import QRCode from 'qrcode';
import type { DependencyBreaker } from '../common/circuit-breaker.js';
import { channelOffReason } from './channel-choice.js';
import type { LinkTokens } from './link-tokens.js';
import { messageLinks } from './message-links.js';
import { bookingInvite } from './notification.invite.js';
import type { BookingFacts, NotificationRepository } from './notification.repository.js';
import { staleReason } from './notification.staleness.js';
import { renderMessage, unsubscribeLabel } from './notification.templates.js';
import { renderStaffAlert, type StaffAlertFacts } from './staff-alert.template.js';

/** How one send ended; `retry` asks the job queue to try again later (with backoff). */
export type SendOutcome =
  | { result: 'sent'; messageId: string }
  | { result: 'skipped'; reason: string }
  | { result: 'failed'; reason: string }
  | { result: 'retry'; reason: string }
  /** Not now (SMS quiet hours): send again at `until`. */
  | { result: 'later'; until: number; reason: string };

export interface SenderOptions {
  smtpUrl: string;
  mailFrom: string;
  publicUrl: string;
  clock: () => number;
  /** Fails sends fast while the mail server keeps failing (common/circuit-breaker.ts). */
  breaker?: DependencyBreaker;
}

/**
 * Sends one outbox message over SMTP (nodemailer). Everything is read again at send time, so a
 * message says what is true now; the deterministic Message-ID lets the receiving side drop the
 * duplicate a crash between the SMTP answer and our record would cause (decision 011).
 */
export class NotificationSender {
  private readonly transport: Transporter;
  private readonly from: { name: string; address: string };

  constructor(
    private readonly repo: NotificationRepository,
    private readonly links: LinkTokens,
    private readonly options: SenderOptions,
  ) {
    this.transport = nodemailer.createTransport(options.smtpUrl);
    const match = /^(.*)<([^>]+)>\s*$/.exec(options.mailFrom);
    this.from = match
      ? { name: match[1]!.trim().replace(/^"|"$/g, ''), address: match[2]!.trim() }
      : { name: 'ClubOS Booking', address: options.mailFrom.trim() };
  }

  /** The message-ID a message carries on every attempt: same message, same ID. */
  static messageIdOf(f: Pick<BookingFacts, 'messageId' | 'bookingId' | 'kind' | 'version'>): string {
    return `<${f.kind}.${f.version}.${f.bookingId}.${f.messageId}@clubos>`;
  }

  /** `prefetched`: the facts read for a batch just now (they are read here otherwise). */
  async send(messageId: number, prefetched?: BookingFacts): Promise<SendOutcome> {
    const facts = prefetched ?? (await this.repo.facts(messageId));
    if (!facts) {
      const alert = await this.repo.staffAlertFacts(messageId);
      if (alert) return this.sendStaffAlert(alert);
      return { result: 'skipped', reason: 'message or booking not found' };
    }
    if (facts.status === 'sent' || facts.status === 'skipped' || facts.status === 'failed') {
      return { result: 'skipped', reason: `already ${facts.status}` };
    }
    const stale = staleReason(facts, this.options.clock());
    if (stale) {
      await this.repo.end(messageId, 'skipped', stale);
      return { result: 'skipped', reason: stale };
    }
    if (!facts.email) {
      await this.repo.end(messageId, 'skipped', 'the booking has no email address');
      return { result: 'skipped', reason: 'no email' };
    }
    // The customer's choice (per kind, and overall); a message carrying the PIN still finds a way.
    const off = channelOffReason(facts, 'email');
    if (off) {
      await this.repo.end(messageId, 'skipped', off);
      return { result: 'skipped', reason: off };
    }
    const mid = NotificationSender.messageIdOf(facts);
    return this.deliver(messageId, facts.email, mid, () => this.compose(facts, mid));
  }

  /** A staff alert to one staff member: same claim, Message-ID and retry rules as a customer's. */
  private async sendStaffAlert(f: StaffAlertFacts): Promise<SendOutcome> {
    if (f.status === 'sent' || f.status === 'skipped' || f.status === 'failed') {
      return { result: 'skipped', reason: `already ${f.status}` };
    }
    if (!f.email) {
      await this.repo.end(f.messageId, 'skipped', 'the staff member has no email address');
      return { result: 'skipped', reason: 'no email' };
    }
    const mid = `<staff_alert.${f.alertId}.${f.userId}.${f.messageId}@clubos>`;
    const rendered = renderStaffAlert(f);
    return this.deliver(f.messageId, f.email, mid, async () => ({
      from: this.from,
      to: f.email!,
      messageId: mid,
      ...rendered,
    }));
  }

  /** Claims the message, sends it once, and records how it ended. */
  private async deliver(
    messageId: number,
    to: string,
    mid: string,
    mail: () => Promise<SendMailOptions>,
  ): Promise<SendOutcome> {
    if (!(await this.repo.claim(messageId, to, mid))) {
      return { result: 'skipped', reason: 'already ended' };
    }
    try {
      const message = await mail();
      const send = () => this.transport.sendMail(message);
      await (this.options.breaker ? this.options.breaker.call(send) : send());
    } catch (error) {
      const reason = describe(error);
      if (permanent(error)) {
        await this.repo.end(messageId, 'failed', reason);
        return { result: 'failed', reason };
      }
      await this.repo.noteError(messageId, reason);
      return { result: 'retry', reason };
    }
    await this.repo.markSent(messageId, new Date(this.options.clock()));
    return { result: 'sent', messageId: mid };
  }

  /** Marks a message that ran out of retries as failed (visible in admin with a retry button). */
  async giveUp(messageId: number, reason: string): Promise<void> {
    await this.repo.end(messageId, 'failed', reason);
  }

  private async compose(f: BookingFacts, messageId: string): Promise<SendMailOptions> {
    // Every kind but the ones carrying the PIN can be stopped from its own email (RFC 8058: that kind).
    const token = f.customerId ? this.links.sign('preferences', f.customerId) : undefined;
    const unsubscribeUrl =
      token && !ENTRY_KINDS.has(f.kind)
        ? `${this.options.publicUrl}/api/v1/notifications/unsubscribe?token=${token}&kind=${f.kind}`
        : undefined;
    const preferencesUrl = token ? `${this.options.publicUrl}/preferences?token=${token}` : undefined;
    const withQr = (f.kind === 'confirmation' || f.kind === 'reschedule') && f.qrToken !== null;
    const qrCid = withQr ? `qr-${f.bookingId}@clubos` : undefined;
    const links = messageLinks(this.links, this.options.publicUrl, f);
    const rendered = renderMessage(f.kind, f, { unsubscribeUrl, preferencesUrl, qrCid, ...links });
    const invite =
      f.kind === 'confirmation' || f.kind === 'reschedule' || f.kind === 'cancellation'
        ? bookingInvite(f.kind, f, { name: this.from.name, email: this.from.address })
        : undefined;
    return {
      from: this.from,
      to: f.email!,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      messageId,
      ...(unsubscribeUrl
        ? {
            list: {
              unsubscribe: { url: unsubscribeUrl, comment: `Unsubscribe from ${unsubscribeLabel(f.kind)}` },
            },
          }
        : {}),
      headers: unsubscribeUrl ? { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {},
      ...(invite
        ? { icalEvent: { method: invite.method, filename: 'booking.ics', content: invite.content } }
        : {}),
      attachments: withQr
        ? [
            {
              filename: 'door-qr.png',
              content: await QRCode.toBuffer(f.qrToken!, { type: 'png', margin: 1, width: 240 }),
              contentType: 'image/png',
              cid: qrCid,
            },
          ]
        : [],
    };
  }

  close(): void {
    this.transport.close();
  }
}

function describe(error: unknown): string {
  const e = error as { responseCode?: number; message?: string; code?: string };
  return `${e.responseCode ? `${e.responseCode} ` : ''}${e.message ?? String(error)}`.slice(0, 1000);
}

/** A 5xx SMTP answer refuses this message for good (bad address, rejected); 4xx and network errors pass. */
function permanent(error: unknown): boolean {
  const code = (error as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}
