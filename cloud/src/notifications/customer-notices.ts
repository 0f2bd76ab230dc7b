import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';

/** Messages about what happened at the venue (not a change of the booking itself). */
export type NoticeKind = 'check_in_welcome' | 'no_show';

/**
 * Writes a notice to the notifications outbox in the caller's transaction. It belongs to the
 * booking's current notification version and its key (booking, kind, version) is unique, so a
 * re-sent edge event, or a second check-in path, makes no second message.
 */
export async function enqueueNotice(
  tx: Executor,
  event: { bookingId: string; facilityId: string; kind: NoticeKind },
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO notification_messages (booking_id, facility_id, kind, version)
    SELECT ${event.bookingId}::uuid, ${event.facilityId}::uuid, ${event.kind}, coalesce(max(version), 1)
    FROM notification_messages
    WHERE booking_id = ${event.bookingId}::uuid AND kind IN ('confirmation', 'reschedule', 'cancellation')
    ON CONFLICT DO NOTHING`);
}
