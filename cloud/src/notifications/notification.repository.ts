import type { KindChannels } from '@clubos/shared/notifications';
import { type SQL, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/client.js';
import { factsQuery, toFacts } from './notification-facts.query.js';
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
  /** The booking's notification version now (a reminder of an older one is stale). */
  currentVersion: number;
  /** The phone texted STOP (`sms_opt_outs`, read here so a text costs no extra read). */
  smsOptedOut: boolean;
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

/** A status callback's word on one SMS. */
export interface DeliveryWord {
  sid: string;
  status: string;
  error: string | null;
}

const FINAL_DELIVERY = new Set(['delivered', 'undelivered', 'failed']);

/** A reminder row's key in `reminderRows`' answer. */
export function reminderKey(
  bookingId: string,
  version: number,
  offsetMinutes: number,
  channel: string,
): string {
  return `${bookingId}:${version}:${offsetMinutes}:${channel}`;
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
    const [r] = await rows<Record<string, unknown>>(this.db, factsQuery(sql`m.id = ${messageId}`));
    return r ? toFacts(r) : undefined;
  }

  /** The facts of many messages in one read (a batch of due reminders), by message id. */
  async factsOf(messageIds: readonly number[]): Promise<Map<number, BookingFacts>> {
    if (messageIds.length === 0) return new Map();
    const found = await rows<Record<string, unknown>>(
      this.db,
      factsQuery(
        sql`m.id IN (SELECT jsonb_array_elements_text(${JSON.stringify(messageIds)}::jsonb)::bigint)`,
      ),
    );
    return new Map(found.map((r) => [Number(r.id), toFacts(r)]));
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
   * Status callbacks: the carrier's word on SMS by their SIDs, many in one statement. Callbacks of
   * one message come in order, but a late `sent` must not undo `delivered`: final states are kept
   * (of two in one batch, the first), and a repeat writes nothing. Answers, by SID a row has, the
   * status written (null: nothing to write); a SID no row has yet is absent (same snapshot).
   */
  async recordDeliveries(words: readonly DeliveryWord[]): Promise<Map<string, string | null>> {
    const bySid = new Map<string, DeliveryWord>();
    for (const w of words) {
      const before = bySid.get(w.sid);
      if (!before || !FINAL_DELIVERY.has(before.status)) bySid.set(w.sid, w);
    }
    const answered = await rows<{ message_id: string; written: string | null }>(
      this.db,
      sql`WITH w AS (
          SELECT * FROM jsonb_to_recordset(${JSON.stringify([...bySid.values()])}::jsonb)
            AS w(sid text, status text, error text)),
        written AS (
          UPDATE notification_messages m SET delivery_status = w.status, delivery_error = w.error
          FROM w WHERE m.message_id = w.sid AND m.channel = 'sms'
            AND coalesce(m.delivery_status, '') NOT IN ('delivered', 'undelivered', 'failed')
            AND coalesce(m.delivery_status, '') <> w.status
          RETURNING m.message_id, m.delivery_status)
        SELECT m.message_id, written.delivery_status AS written
        FROM notification_messages m JOIN w ON m.message_id = w.sid AND m.channel = 'sms'
        LEFT JOIN written ON written.message_id = m.message_id`,
    );
    return new Map(answered.map((r) => [r.message_id, r.written]));
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

  /** The current version of each booking, by id (a booking with no message yet is absent). */
  async currentVersions(bookingIds: readonly string[]): Promise<Map<string, number>> {
    if (bookingIds.length === 0) return new Map();
    const found = await rows<{ booking_id: string; v: number }>(
      this.db,
      sql`SELECT booking_id, max(version) AS v FROM notification_messages
        WHERE booking_id IN (SELECT jsonb_array_elements_text(${JSON.stringify([...new Set(bookingIds)])}::jsonb)::uuid)
          AND kind IN ('confirmation', 'reschedule', 'cancellation')
        GROUP BY booking_id`,
    );
    return new Map(found.map((r) => [String(r.booking_id), Number(r.v)]));
  }

  /**
   * The rows of many reminders (one per channel each) in one statement, made where missing, by
   * `reminderKey`. A row another instance inserted during the statement is not in the answer: the
   * caller reads those one by one with `reminderRow`.
   */
  async reminderRows(
    reminders: readonly { bookingId: string; facilityId: string; version: number; offsetMinutes: number }[],
    channels: readonly string[],
  ): Promise<Map<string, number>> {
    const wanted = reminders.flatMap((r) =>
      channels.map((channel) => ({
        booking_id: r.bookingId,
        facility_id: r.facilityId,
        version: r.version,
        offset_minutes: r.offsetMinutes,
        channel,
      })),
    );
    if (wanted.length === 0) return new Map();
    const found = await rows<{
      id: number;
      booking_id: string;
      version: number;
      offset_minutes: number;
      channel: string;
    }>(
      this.db,
      sql`WITH wanted AS (
          SELECT * FROM jsonb_to_recordset(${JSON.stringify(wanted)}::jsonb)
            AS w(booking_id uuid, facility_id uuid, version int, offset_minutes int, channel text)),
        made AS (
          INSERT INTO notification_messages (booking_id, facility_id, kind, version, offset_minutes, status, channel)
          SELECT booking_id, facility_id, 'reminder', version, offset_minutes, 'queued', channel FROM wanted
          ON CONFLICT DO NOTHING RETURNING id, booking_id, version, offset_minutes, channel)
        SELECT id, booking_id, version, offset_minutes, channel FROM made
        UNION ALL
        SELECT m.id, m.booking_id, m.version, m.offset_minutes, m.channel FROM notification_messages m
          JOIN wanted w ON m.booking_id = w.booking_id AND m.kind = 'reminder' AND m.version = w.version
            AND m.offset_minutes = w.offset_minutes AND m.channel = w.channel`,
    );
    return new Map(
      found.map((r) => [
        reminderKey(String(r.booking_id), Number(r.version), Number(r.offset_minutes), r.channel),
        Number(r.id),
      ]),
    );
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
