import { and, asc, eq } from 'drizzle-orm';
import type { Drizzle } from '../db/database.js';
import { bookings, walkInDues } from '../db/schema.js';

export type WalkInDueRecord = typeof walkInDues.$inferSelect;

export function insertDue(
  db: Drizzle,
  due: { booking_id: string; amount_cents: number; sold_by: string; created_at: number },
): void {
  db.insert(walkInDues).values(due).onConflictDoNothing().run();
}

export function dueOf(db: Drizzle, bookingId: string): WalkInDueRecord | undefined {
  return db.select().from(walkInDues).where(eq(walkInDues.booking_id, bookingId)).get();
}

/** What is owed, oldest first, with the booking it is for (when the replica still has it). */
export function owedDues(db: Drizzle) {
  return db
    .select({
      due: walkInDues,
      reference_code: bookings.reference_code,
      customer_name: bookings.customer_name,
      simulator_id: bookings.simulator_id,
      start_time: bookings.start_time,
    })
    .from(walkInDues)
    .leftJoin(bookings, eq(bookings.id, walkInDues.booking_id))
    .where(eq(walkInDues.status, 'owed'))
    .orderBy(asc(walkInDues.created_at))
    .all();
}

export function markSettled(
  db: Drizzle,
  bookingId: string,
  settled: { method: 'cash' | 'card'; payment_id: string | null; settled_by: string; settled_at: number },
): void {
  db.update(walkInDues)
    .set({ ...settled, status: 'settled' })
    .where(and(eq(walkInDues.booking_id, bookingId), eq(walkInDues.status, 'owed')))
    .run();
}
