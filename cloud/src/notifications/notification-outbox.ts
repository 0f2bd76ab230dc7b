import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';

/** Messages a booking change causes; reminders are made later by their job. */
export type OutboxKind = 'confirmation' | 'reschedule' | 'cancellation' | 'waitlist_offer';

/**
 * Writes a message to the notifications outbox in the caller's transaction (the booking row must be
 * locked by it, so the version read here cannot race another change of the same booking). The
 * version is one more than the booking's last confirmation/reschedule/cancellation: a reminder job
 * made for an older version finds a newer one and sends nothing.
 */
export async function enqueueNotification(
  tx: Executor,
  event: { bookingId: string; facilityId: string; kind: OutboxKind },
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO notification_messages (booking_id, facility_id, kind, version)
    SELECT ${event.bookingId}::uuid, ${event.facilityId}::uuid, ${event.kind},
      coalesce(max(version), 0) + 1
    FROM notification_messages
    WHERE booking_id = ${event.bookingId}::uuid AND kind IN ('confirmation', 'reschedule', 'cancellation')
    ON CONFLICT DO NOTHING`);
}

/** Receipts: one per payment that succeeded and per refund paid out. */
export type ReceiptKind = 'payment_receipt' | 'refund_receipt';

/**
 * Writes a receipt to the outbox in the transaction that recorded the money (the ledger step that
 * made the payment `succeeded` or the refund `succeeded`). Keyed by the payment or refund
 * (`receipt_for`), not the booking's version: a booking has a deposit, a balance, a fee, refunds,
 * each with its one receipt, and a replayed webhook finds the row and writes nothing.
 */
export async function enqueueReceipts(
  tx: Executor,
  receipts: readonly { bookingId: string; kind: ReceiptKind; receiptFor: string }[],
): Promise<void> {
  if (receipts.length === 0) return;
  // One statement for a webhook batch's receipts, however many (the batch stays set-based).
  await tx.execute(sql`
    INSERT INTO notification_messages (booking_id, facility_id, kind, version, receipt_for)
    SELECT b.id, b.facility_id, r.kind,
      coalesce((SELECT max(version) FROM notification_messages
        WHERE booking_id = b.id AND kind IN ('confirmation', 'reschedule', 'cancellation')), 1),
      r.receipt_for
    FROM jsonb_to_recordset(${JSON.stringify(receipts.map((r) => ({ booking_id: r.bookingId, kind: r.kind, receipt_for: r.receiptFor })))}::jsonb)
      AS r(booking_id uuid, kind text, receipt_for uuid)
    JOIN bookings b ON b.id = r.booking_id
    ON CONFLICT DO NOTHING`);
}
