import type { KindChannels } from '@clubos/shared/notifications';
import { type SQL, sql } from 'drizzle-orm';
import type { BookingFacts, ReceiptFacts } from './notification.repository.js';

/**
 * The facts read of one message or many. Also read here, so a send costs no extra round trips:
 * the booking's current version (staleness), the kind's chosen channels and the phone's STOP.
 */
export function factsQuery(where: SQL): SQL {
  return sql`SELECT m.id, m.kind, m.version, m.offset_minutes, m.status, m.attempts, m.retry_round,
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
        (SELECT jsonb_build_object('email', p.email, 'sms', p.sms, 'in_app', p.in_app) FROM notification_preferences p
          WHERE p.customer_id = c.id AND p.kind = m.kind) AS kind_channels,
        s.name AS bay_name, f.id AS facility_id, f.name AS facility_name, f.address, f.timezone, f.settings,
        c.email, c.first_name,
        (SELECT row_to_json(t) FROM (SELECT token, valid_from, valid_until FROM access_tokens
          WHERE booking_id = b.id AND type = 'qr' AND revoked_at IS NULL ORDER BY created_at DESC LIMIT 1) t) AS qr,
        (SELECT max(v.version) FROM notification_messages v
          WHERE v.booking_id = b.id AND v.kind IN ('confirmation', 'reschedule', 'cancellation')) AS current_version,
        EXISTS (SELECT 1 FROM sms_opt_outs o WHERE o.phone = c.phone) AS sms_opted_out
      FROM notification_messages m
      JOIN bookings b ON b.id = m.booking_id
      JOIN simulators s ON s.id = b.simulator_id
      JOIN facilities f ON f.id = b.facility_id
      LEFT JOIN customers c ON c.id = b.customer_id
      WHERE ${where}`;
}

export function toFacts(r: Record<string, unknown>): BookingFacts {
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
    kindChannels: (json(r.kind_channels) ?? undefined) as KindChannels | undefined,
    channel: String(r.channel),
    createdAt: date(r.created_at),
    firstName: (r.first_name as string | null) ?? null,
    holdExpiresAt: r.hold_expires_at === null ? null : date(r.hold_expires_at),
    waitlistEntryId: (r.waitlist_entry_id as string | null) ?? null,
    currentVersion: Number(r.current_version ?? 0),
    smsOptedOut: r.sms_opted_out === true || r.sms_opted_out === 't',
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
