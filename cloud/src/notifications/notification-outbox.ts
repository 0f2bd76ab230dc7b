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
