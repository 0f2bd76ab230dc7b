import type { KindChannels } from '@clubos/shared/notifications';
import { type SQL, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/client.js';
import type { StaffAlertFacts } from './staff-alert.template.js';

/** Everything a message about one booking says, read at send time (never from the job's payload). */
export interface BookingFacts {
  messageId: number;
  kind: string;
  version: number;
  offsetMinutes: number;
  status: string;
  attempts: number;
  retryRound: number;
  bookingId: string;
  bookingStatus: string;
  referenceCode: string;
  start: Date;
  end: Date;
  priceCents: number;
  refundCents: number | null;
  pin: string | null;
  qrToken: string | null;
  doorFrom: Date | null;
  doorUntil: Date | null;
  bayName: string;
  facilityId: string;
  facilityName: string;
  address: string | null;
  timezone: string;
  settings: Record<string, unknown>;
  email: string | null;
  /** The customer's phone (E.164 since contact checks; older rows may be anything). */
  phone: string | null;
  customerId: string | null;
  /** The customer's `preferences` (channel choices under `notifications`). */
  preferences: Record<string, unknown>;
  /** The customer's channels for this kind (`notification_preferences`), if they chose. */
  kindChannels: KindChannels | undefined;
  /** email | sms */
  channel: string;
  createdAt: Date;
  firstName: string | null;
  /** A waitlist offer's hold: until when it is kept, and the entry it was offered to. */
  holdExpiresAt: Date | null;
  waitlistEntryId: string | null;
  /** A receipt's payment or refund (payment_receipt, refund_receipt), read at send time. */
  receipt: ReceiptFacts | null;
  /** The booking's no-show fee, if its policy owed one (pending until Stripe answers). */
  noShowFee: { amountCents: number; currency: string; status: string } | null;
}

export interface ReceiptFacts {
  id: string;
  amountCents: number;
  currency: string;
  status: string;
  /** The payment's kind (online, terminal, cash, no_show_fee); a refund's reason. */
  what: string;
}

export interface MessageRow {
  id: number;
  booking_id: string | null;
  facility_id: string;
  kind: string;
  version: number;
  offset_minutes: number;
  channel: string;
  status: string;
  attempts: number;
  retry_round: number;
  recipient: string | null;
  last_error: string | null;
  message_id: string | null;
  delivery_status: string | null;
  delivery_error: string | null;
  created_at: Date | string;
  sent_at: Date | string | null;
}

/** A json column as PGlite (text or object) and node-postgres (object) return it. */
function json(v: unknown): Record<string, unknown> | null {
  if (v === null || v === undefined) return null;
  return (typeof v === 'string' ? JSON.parse(v) : v) as Record<string, unknown>;
}

function receiptOf(r: Record<string, unknown> | null): ReceiptFacts | null {
  if (!r) return null;
  return {
    id: String(r.id),
    amountCents: Number(r.amount_cents),
    currency: String(r.currency),
    status: String(r.status),
    what: String(r.what),
  };
}

async function rows<T>(executor: Executor, query: SQL): Promise<T[]> {
  return ((await executor.execute(query)) as unknown as { rows: T[] }).rows;
}

/** Owns `notification_messages` (reads a message's kind preferences with its facts). */
export class NotificationRepository {
  constructor(private readonly db: Database) {}

  /** Outbox rows of the channels that can send, not yet turned into jobs, oldest first. */
  pending(limit: number, channels: readonly string[]): Promise<MessageRow[]> {
    return rows(
      this.db,
      sql`SELECT * FROM notification_messages WHERE status = 'pending'
        AND channel IN (SELECT jsonb_array_elements_text(${JSON.stringify(channels)}::jsonb))
        ORDER BY id LIMIT ${limit}`,
    );
  }

  /**
   * Gives each pending email row of `kinds` its `channel` sibling (same booking, kind, version,
   * offset): producers write one row per event, and the unique key makes this idempotent across
   * passes and instances. Whether the sibling is sent (opt-out, preference, no phone) is decided
   * when it is sent.
   */
  async fanOut(channel: string, kinds: readonly string[]): Promise<number> {
    const made = await rows(
      this.db,
      sql`INSERT INTO notification_messages (booking_id, facility_id, kind, version, offset_minutes, channel, receipt_for)
        SELECT m.booking_id, m.facility_id, m.kind, m.version, m.offset_minutes, ${channel}, m.receipt_for
        FROM notification_messages m
        WHERE m.status = 'pending' AND m.channel = 'email'
          AND m.kind IN (SELECT jsonb_array_elements_text(${JSON.stringify(kinds)}::jsonb))
        ON CONFLICT DO NOTHING RETURNING id`,
    );
    return made.length;
  }

  async markQueued(ids: number[], now: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.db.execute(sql`UPDATE notification_messages SET status = 'queued', queued_at = ${now.toISOString()}::timestamptz
      WHERE status = 'pending' AND id IN (SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::bigint)`);
  }

  async facts(messageId: number): Promise<BookingFacts | undefined> {
    const [r] = await rows<Record<string, unknown>>(
      this.db,
      sql`SELECT m.id, m.kind, m.version, m.offset_minutes, m.status, m.attempts, m.retry_round,
        m.channel, m.created_at, c.phone, c.id AS customer_id, c.preferences,
        b.id AS booking_id, b.status AS booking_status, b.reference_code, b.start_time, b.end_time,
        b.price_cents, b.refund_cents, b.access_code, b.hold_expires_at,
        (SELECT w.id FROM waitlist_entries w WHERE w.offer_booking_id = b.id LIMIT 1) AS waitlist_entry_id,
        (SELECT row_to_json(t) FROM (SELECT p.id, p.amount_cents, p.currency, p.status, p.kind AS what FROM payments p
          WHERE p.id = m.receipt_for AND m.kind = 'payment_receipt'
          UNION ALL SELECT r.id, r.amount_cents, p.currency, r.status, r.reason FROM refunds r
          JOIN payments p ON p.id = r.payment_id WHERE r.id = m.receipt_for AND m.kind = 'refund_receipt') t) AS receipt,
        (SELECT row_to_json(t) FROM (SELECT amount_cents, currency, status FROM no_show_fees
          WHERE booking_id = b.id) t) AS no_show_fee,
        s.name AS bay_name, f.id AS facility_id, f.name AS facility_name, f.address, f.timezone, f.settings,
        c.email, c.first_name,
        (SELECT jsonb_build_object('email', p.email, 'sms', p.sms, 'in_app', p.in_app) FROM notification_preferences p
          WHERE p.customer_id = c.id AND p.kind = m.kind) AS kind_channels,
        (SELECT row_to_json(t) FROM (SELECT token, valid_from, valid_until FROM access_tokens
          WHERE booking_id = b.id AND type = 'qr' AND revoked_at IS NULL ORDER BY created_at DESC LIMIT 1) t) AS qr
      FROM notification_messages m
      JOIN bookings b ON b.id = m.booking_id
      JOIN simulators s ON s.id = b.simulator_id
      JOIN facilities f ON f.id = b.facility_id
      LEFT JOIN customers c ON c.id = b.customer_id
      WHERE m.id = ${messageId}`,
    );
    if (!r) return undefined;
    const qr = r.qr as { token: string; valid_from: string; valid_until: string } | null;
    const date = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));
    return {
      messageId: Number(r.id),
      kind: String(r.kind),
      version: Number(r.version),
      offsetMinutes: Number(r.offset_minutes),
      status: String(r.status),
      attempts: Number(r.attempts),
      retryRound: Number(r.retry_round),
      bookingId: String(r.booking_id),
      bookingStatus: String(r.booking_status),
      referenceCode: String(r.reference_code),
      start: date(r.start_time),
      end: date(r.end_time),
      priceCents: Number(r.price_cents),
      refundCents: r.refund_cents === null ? null : Number(r.refund_cents),
      pin: (r.access_code as string | null) ?? null,
      qrToken: qr?.token ?? null,
      doorFrom: qr ? date(qr.valid_from) : null,
      doorUntil: qr ? date(qr.valid_until) : null,
      bayName: String(r.bay_name),
      facilityId: String(r.facility_id),
      facilityName: String(r.facility_name),
      address: (r.address as string | null) ?? null,
      timezone: String(r.timezone),
      settings: (typeof r.settings === 'string' ? JSON.parse(r.settings) : r.settings) as Record<
        string,
        unknown
      >,
      email: (r.email as string | null) ?? null,
      phone: (r.phone as string | null) ?? null,
      customerId: (r.customer_id as string | null) ?? null,
      preferences: ((typeof r.preferences === 'string' ? JSON.parse(r.preferences) : r.preferences) ??
        {}) as Record<string, unknown>,
      kindChannels: ((typeof r.kind_channels === 'string' ? JSON.parse(r.kind_channels) : r.kind_channels) ??
        undefined) as KindChannels | undefined,
      channel: String(r.channel),
      createdAt: date(r.created_at),
      firstName: (r.first_name as string | null) ?? null,
      holdExpiresAt: r.hold_expires_at === null ? null : date(r.hold_expires_at),
      waitlistEntryId: (r.waitlist_entry_id as string | null) ?? null,
      receipt: receiptOf(json(r.receipt)),
      noShowFee: ((fee) =>
        fee
          ? {
              amountCents: Number(fee.amount_cents),
              currency: String(fee.currency),
              status: String(fee.status),
            }
          : null)(json(r.no_show_fee)),
    };
  }

  /** A `staff_alert` message's alert and recipient, or undefined for any other message. */
  async staffAlertFacts(messageId: number): Promise<StaffAlertFacts | undefined> {
    const [r] = await rows<Record<string, unknown>>(
      this.db,
      sql`SELECT m.id, m.status, a.id AS alert_id, u.id AS user_id, u.email, u.display_name, a.kind,
        a.severity, a.subject, a.message, a.raised_at, f.name AS facility_name, f.timezone
      FROM notification_messages m
      JOIN staff_alerts a ON a.id = m.staff_alert_id
      JOIN users u ON u.id = m.user_id
      JOIN facilities f ON f.id = a.facility_id
      WHERE m.id = ${messageId} AND m.kind = 'staff_alert'`,
    );
    if (!r) return undefined;
    return {
      messageId: Number(r.id),
      status: String(r.status),
      alertId: Number(r.alert_id),
      userId: String(r.user_id),
      email: (r.email as string | null) || null,
      displayName: (r.display_name as string | null) ?? null,
      kind: String(r.kind),
      severity: String(r.severity),
      subject: (r.subject as string | null) ?? null,
      message: String(r.message),
      raisedAt: r.raised_at instanceof Date ? r.raised_at : new Date(String(r.raised_at)),
      facilityName: String(r.facility_name),
      timezone: String(r.timezone),
    };
  }

  /**
   * Takes the message for one send: counts the attempt and records the Message-ID it will carry.
   * Refused (undefined) once the message is sent, skipped or failed for good.
   */
  async claim(id: number, recipient: string, messageId: string): Promise<MessageRow | undefined> {
    const [row] = await rows<MessageRow>(
      this.db,
      sql`UPDATE notification_messages SET status = 'sending', attempts = attempts + 1,
        recipient = ${recipient}, message_id = ${messageId}
      WHERE id = ${id} AND status IN ('pending', 'queued', 'sending') RETURNING *`,
    );
    return row;
  }

  /** An SMS attempt: counts it and records the number; the provider's SID (if any) is kept. */
  async claimSms(id: number, recipient: string): Promise<MessageRow | undefined> {
    const [row] = await rows<MessageRow>(
      this.db,
      sql`UPDATE notification_messages SET status = 'sending', attempts = attempts + 1, recipient = ${recipient}
      WHERE id = ${id} AND status IN ('pending', 'queued', 'sending') RETURNING *`,
    );
    return row;
  }

  /** The provider accepted the SMS: its SID and first status, and the row is sent. */
  async markSmsSent(id: number, sid: string, deliveryStatus: string, at: Date): Promise<void> {
    await this.db.execute(sql`UPDATE notification_messages SET status = 'sent', sent_at = ${at.toISOString()}::timestamptz,
      message_id = ${sid}, delivery_status = coalesce(delivery_status, ${deliveryStatus}), last_error = NULL
      WHERE id = ${id}`);
  }

  /**
   * A status callback: the carrier's word on an SMS by its SID. Callbacks of one message come in
   * order, but a late `sent` must not undo `delivered`: final states are kept.
   */
  async recordDelivery(sid: string, status: string, error: string | null): Promise<boolean> {
    const updated = await rows(
      this.db,
      sql`UPDATE notification_messages SET delivery_status = ${status}, delivery_error = ${error}
      WHERE message_id = ${sid} AND channel = 'sms'
        AND coalesce(delivery_status, '') NOT IN ('delivered', 'undelivered', 'failed') RETURNING id`,
    );
    return updated.length > 0;
  }

  async markSent(id: number, at: Date): Promise<void> {
    await this.db.execute(sql`UPDATE notification_messages SET status = 'sent', sent_at = ${at.toISOString()}::timestamptz,
      last_error = NULL WHERE id = ${id}`);
  }

  async end(id: number, status: 'failed' | 'skipped', reason: string): Promise<void> {
    await this.db.execute(sql`UPDATE notification_messages SET status = ${status}, last_error = ${reason.slice(0, 1000)}
      WHERE id = ${id} AND status <> 'sent'`);
  }

  async noteError(id: number, error: string): Promise<void> {
    await this.db.execute(
      sql`UPDATE notification_messages SET last_error = ${error.slice(0, 1000)} WHERE id = ${id}`,
    );
  }

  /** The booking's current notification version (its last confirmation, reschedule or cancellation). */
  async currentVersion(bookingId: string): Promise<number> {
    const [r] = await rows<{ v: number | null }>(
      this.db,
      sql`SELECT max(version) AS v FROM notification_messages
        WHERE booking_id = ${bookingId}::uuid AND kind IN ('confirmation', 'reschedule', 'cancellation')`,
    );
    return Number(r?.v ?? 0);
  }

  /**
   * A scheduled message's outbox row (a reminder, an extend offer), made once per (booking, kind,
   * version, offset, channel) when its job runs; an existing one is returned.
   */
  async reminderRow(
    bookingId: string,
    facilityId: string,
    version: number,
    offsetMinutes: number,
    channel = 'email',
    kind: 'reminder' | 'extend_offer' = 'reminder',
  ): Promise<number> {
    await this.db.execute(sql`INSERT INTO notification_messages (booking_id, facility_id, kind, version, offset_minutes, status, channel)
      VALUES (${bookingId}::uuid, ${facilityId}::uuid, ${kind}, ${version}, ${offsetMinutes}, 'queued', ${channel})
      ON CONFLICT DO NOTHING`);
    const [r] = await rows<{ id: number }>(
      this.db,
      sql`SELECT id FROM notification_messages WHERE booking_id = ${bookingId}::uuid AND kind = ${kind}
        AND version = ${version} AND offset_minutes = ${offsetMinutes} AND channel = ${channel}
        AND receipt_for IS NULL`,
    );
    return Number(r!.id);
  }

  /** Counts per status, and the newest failed (or stuck) messages for the admin page. */
  async status(limit: number): Promise<{
    counts: Record<string, number>;
    byChannel: Record<string, Record<string, number>>;
    failed: MessageRow[];
  }> {
    const counts = await rows<{ status: string; n: number }>(
      this.db,
      sql`SELECT status, count(*)::int AS n FROM notification_messages GROUP BY status`,
    );
    const perChannel = await rows<{ channel: string; status: string; n: number }>(
      this.db,
      sql`SELECT channel, status, count(*)::int AS n FROM notification_messages GROUP BY channel, status`,
    );
    const failed = await rows<MessageRow>(
      this.db,
      sql`SELECT * FROM notification_messages WHERE status = 'failed' OR (status = 'sending' AND last_error IS NOT NULL)
        OR delivery_status IN ('undelivered', 'failed')
        ORDER BY id DESC LIMIT ${limit}`,
    );
    const byChannel: Record<string, Record<string, number>> = {};
    for (const c of perChannel) byChannel[c.channel] = { ...byChannel[c.channel], [c.status]: Number(c.n) };
    return { counts: Object.fromEntries(counts.map((c) => [c.status, Number(c.n)])), byChannel, failed };
  }

  async exists(id: number): Promise<boolean> {
    return (await rows(this.db, sql`SELECT 1 FROM notification_messages WHERE id = ${id}`)).length > 0;
  }

  /** A manual retry: the message goes back to the outbox with a new round (so a new job). */
  async requeue(id: number): Promise<MessageRow | undefined> {
    const [row] = await rows<MessageRow>(
      this.db,
      sql`UPDATE notification_messages SET status = 'pending', retry_round = retry_round + 1, last_error = NULL
        WHERE id = ${id} AND status = 'failed' RETURNING *`,
    );
    return row;
  }
}
