import type { Booking } from '@clubos/shared/api';
import { badRequest, invalidState, notFound } from '@clubos/shared/errors';
import type { LinkTokens } from './link-tokens.js';
import type { MessageRow, NotificationRepository } from './notification.repository.js';

/** The waitlist's accept, for the offer email's link (entry id, the offer's hold id). */
export type OfferAcceptor = (entryId: string, holdId: string) => Promise<Booking>;

/** The booking service's extend, for the "10 minutes left" link (and its check when the offer is due). */
export interface SessionExtender {
  canExtend(bookingId: string, expectedEnd: number): Promise<boolean>;
  extend(bookingId: string, expectedEnd: number, returnUrl?: string): Promise<Booking>;
}

export interface MessageView {
  id: number;
  booking_id: string | null;
  kind: string;
  version: number;
  offset_minutes: number;
  channel: string;
  status: string;
  attempts: number;
  recipient: string | null;
  last_error: string | null;
  message_id: string | null;
  delivery_status: string | null;
  delivery_error: string | null;
  created_at: string;
  sent_at: string | null;
}

function iso(value: Date | string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

export function toMessageView(row: MessageRow): MessageView {
  return {
    id: Number(row.id),
    booking_id: row.booking_id,
    kind: row.kind,
    version: Number(row.version),
    offset_minutes: Number(row.offset_minutes),
    channel: row.channel,
    status: row.status,
    attempts: Number(row.attempts),
    recipient: row.recipient,
    last_error: row.last_error,
    message_id: row.message_id,
    delivery_status: row.delivery_status,
    delivery_error: row.delivery_error,
    created_at: iso(row.created_at)!,
    sent_at: iso(row.sent_at),
  };
}

/** What admin sees of the notifications (counts, failures, manual retry) and the waitlist offer's link. */
export class NotificationStatusService {
  constructor(
    private readonly repo: NotificationRepository,
    private readonly tokens: LinkTokens,
    /** False without SMTP_URL: messages wait in the outbox. */
    readonly enabled: boolean,
    private readonly accept: OfferAcceptor,
    /** False without TWILIO_ACCOUNT_SID. */
    readonly smsEnabled = false,
    private readonly extender?: SessionExtender,
  ) {}

  /** The session an extend link names, checked: the token was made for that booking and end. */
  extendOf(token: string): { bookingId: string; endMs: number } {
    const [bookingId, end] = this.tokens.verify('extend', token)?.split('.') ?? [];
    if (!bookingId || !end || !/^\d+$/.test(end)) {
      throw badRequest('token', 'the extend link is not valid (token does not match)');
    }
    return { bookingId, endMs: Number(end) };
  }

  /** Extends the link's session by the next slot (its price by the reschedule's payment rules). */
  async extend(token: string, returnUrl: string): Promise<Booking> {
    const { bookingId, endMs } = this.extendOf(token);
    if (!this.extender) throw invalidState('extending a session is not available here');
    return this.extender.extend(bookingId, endMs, returnUrl);
  }

  /** The offer the link names, checked: the token was made for that entry and hold. */
  offerOf(token: string): { entryId: string; holdId: string } {
    const value = this.tokens.verify('waitlist-accept', token);
    const [entryId, holdId] = value?.split('.') ?? [];
    if (!entryId || !holdId) throw badRequest('token', 'the offer link is not valid (token does not match)');
    return { entryId, holdId };
  }

  /** Accepts the offer of a valid link: the hold becomes the customer's booking. */
  async acceptOffer(token: string): Promise<Booking> {
    const { entryId, holdId } = this.offerOf(token);
    return this.accept(entryId, holdId);
  }

  async status(limit: number): Promise<{
    enabled: boolean;
    sms_enabled: boolean;
    counts: Record<string, number>;
    by_channel: Record<string, Record<string, number>>;
    failed: MessageView[];
  }> {
    const { counts, byChannel, failed } = await this.repo.status(limit);
    return {
      enabled: this.enabled,
      sms_enabled: this.smsEnabled,
      counts,
      by_channel: byChannel,
      failed: failed.map(toMessageView),
    };
  }

  async retry(id: number): Promise<MessageView> {
    const row = await this.repo.requeue(id);
    if (row) return toMessageView(row);
    if (!(await this.repo.exists(id))) throw notFound('notification', String(id));
    throw invalidState(`notification ${id} is not failed; only a failed message is sent again`);
  }
}
