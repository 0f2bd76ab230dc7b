import { IN_APP_KINDS } from '@clubos/shared/api/in-app-notifications.schemas';
import { type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';

/** One customer message as the in-app list reads it: the outbox row, its booking and the read mark. */
export interface InAppRow {
  id: number;
  kind: string;
  offsetMinutes: number;
  bookingId: string;
  referenceCode: string;
  start: Date;
  end: Date;
  refundCents: number | null;
  bayName: string;
  facilityName: string;
  timezone: string;
  createdAt: Date;
  readAt: Date | null;
  /** A receipt's amount, a no-show's fee (in the payment's currency). */
  money: { amountCents: number; currency: string } | null;
}

const KINDS = sql.raw(IN_APP_KINDS.map((k) => `'${k}'`).join(', '));

async function rows<T>(db: Database, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/** One in-app entry per message, whatever its channels: the first row of its key (email or SMS). */
const FIRST_OF_KEY = sql.raw(`NOT EXISTS (SELECT 1 FROM notification_messages o
  WHERE o.booking_id = m.booking_id AND o.kind = m.kind AND o.version = m.version
    AND o.offset_minutes = m.offset_minutes AND o.receipt_for IS NOT DISTINCT FROM m.receipt_for
    AND o.id < m.id)`);

/** The money an entry names: a receipt's payment or refund, a no-show's fee. */
const MONEY = sql.raw(`CASE m.kind
    WHEN 'payment_receipt' THEN (SELECT row_to_json(t) FROM (SELECT amount_cents, currency FROM payments WHERE id = m.receipt_for) t)
    WHEN 'refund_receipt' THEN (SELECT row_to_json(t) FROM (SELECT r.amount_cents, p.currency FROM refunds r
      JOIN payments p ON p.id = r.payment_id WHERE r.id = m.receipt_for) t)
    WHEN 'no_show' THEN (SELECT row_to_json(t) FROM (SELECT amount_cents, currency FROM no_show_fees WHERE booking_id = m.booking_id) t)
  END`);

/** Kinds the customer turned in-app off for are not listed (their email and SMS are decided apart). */
const WANTED = sql.raw(`NOT EXISTS (SELECT 1 FROM notification_preferences p
  WHERE p.customer_id = b.customer_id AND p.kind = m.kind AND NOT p.in_app)`);

const date = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));

/**
 * Owns `notification_reads`, and reads the customer's own rows of `notification_messages`: the
 * in-app channel is the outbox itself, so a message lands in-app exactly when (and once) it is
 * written, whatever the email or SMS channels do with it.
 */
export class InAppNotificationRepository {
  constructor(private readonly db: Database) {}

  private select(where: SQL, limit: number): Promise<Record<string, unknown>[]> {
    return rows(
      this.db,
      sql`SELECT m.id, m.kind, m.offset_minutes, m.created_at, r.read_at,
        b.id AS booking_id, b.reference_code, b.start_time, b.end_time, b.refund_cents,
        s.name AS bay_name, f.name AS facility_name, f.timezone, ${MONEY} AS money
      FROM bookings b
      JOIN notification_messages m ON m.booking_id = b.id
      JOIN simulators s ON s.id = b.simulator_id
      JOIN facilities f ON f.id = b.facility_id
      LEFT JOIN notification_reads r ON r.message_id = m.id
      WHERE m.kind IN (${KINDS}) AND ${FIRST_OF_KEY} AND ${WANTED} AND ${where}
      ORDER BY m.id DESC LIMIT ${limit}`,
    );
  }

  private static row(r: Record<string, unknown>): InAppRow {
    return {
      id: Number(r.id),
      kind: String(r.kind),
      offsetMinutes: Number(r.offset_minutes),
      bookingId: String(r.booking_id),
      referenceCode: String(r.reference_code),
      start: date(r.start_time),
      end: date(r.end_time),
      refundCents: r.refund_cents === null ? null : Number(r.refund_cents),
      bayName: String(r.bay_name),
      facilityName: String(r.facility_name),
      timezone: String(r.timezone),
      createdAt: date(r.created_at),
      readAt: r.read_at === null || r.read_at === undefined ? null : date(r.read_at),
      money: ((v) => (v ? { amountCents: Number(v.amount_cents), currency: String(v.currency) } : null))(
        (typeof r.money === 'string' ? JSON.parse(r.money) : r.money) as Record<string, unknown> | null,
      ),
    };
  }

  /** The customer's messages, newest first. */
  async list(customerId: string, limit: number): Promise<InAppRow[]> {
    return (await this.select(sql`b.customer_id = ${customerId}::uuid`, limit)).map(
      InAppNotificationRepository.row,
    );
  }

  async find(customerId: string, id: number): Promise<InAppRow | undefined> {
    const [r] = await this.select(sql`b.customer_id = ${customerId}::uuid AND m.id = ${id}`, 1);
    return r ? InAppNotificationRepository.row(r) : undefined;
  }

  async unread(customerId: string): Promise<number> {
    const [r] = await rows<{ n: number }>(
      this.db,
      sql`SELECT count(*)::int AS n FROM bookings b
        JOIN notification_messages m ON m.booking_id = b.id
        LEFT JOIN notification_reads r ON r.message_id = m.id
        WHERE b.customer_id = ${customerId}::uuid AND m.kind IN (${KINDS}) AND ${FIRST_OF_KEY} AND ${WANTED}
          AND r.message_id IS NULL`,
    );
    return Number(r?.n ?? 0);
  }

  /** The newest message id of the customer (0 without any): the live stream watches it move. */
  async head(customerId: string): Promise<number> {
    const [r] = await rows<{ h: number | null }>(
      this.db,
      sql`SELECT max(m.id) AS h FROM bookings b JOIN notification_messages m ON m.booking_id = b.id
        WHERE b.customer_id = ${customerId}::uuid AND m.kind IN (${KINDS}) AND ${FIRST_OF_KEY}`,
    );
    return Number(r?.h ?? 0);
  }

  /** Marks a message read once; marking it again keeps the first time. */
  async markRead(id: number, at: Date): Promise<void> {
    await this.db.execute(sql`INSERT INTO notification_reads (facility_id, message_id, read_at)
      SELECT facility_id, id, ${at.toISOString()}::timestamptz FROM notification_messages WHERE id = ${id}
      ON CONFLICT DO NOTHING`);
  }
}
