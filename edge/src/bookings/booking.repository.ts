import { ACTIVE_STATUSES } from '@clubos/shared/booking';
import { and, asc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import type { Drizzle } from '../db/database.js';
import { bookings } from '../db/schema.js';

export type BookingRecord = typeof bookings.$inferSelect;
export type NewBooking = typeof bookings.$inferInsert;

const active = inArray(bookings.status, [...ACTIVE_STATUSES]);

/** Active bookings meeting `[from, to)` on any bay, for the availability engine. */
export function activeBetween(db: Drizzle, from: number, to: number): BookingRecord[] {
  return db
    .select()
    .from(bookings)
    .where(and(active, lt(bookings.start_time, to), gt(bookings.end_time, from)))
    .orderBy(asc(bookings.start_time))
    .all();
}

/** Every booking (any status) meeting `[from, to)`, for the day's schedule. */
export function bookingsBetween(db: Drizzle, from: number, to: number): BookingRecord[] {
  return db
    .select()
    .from(bookings)
    .where(and(lt(bookings.start_time, to), gt(bookings.end_time, from)))
    .orderBy(asc(bookings.simulator_id), asc(bookings.start_time))
    .all();
}

/** Insert-or-ignore on the id: the feed may already have brought the cloud's copy of a walk-in. */
export function insertBooking(db: Drizzle, row: NewBooking): void {
  db.insert(bookings).values(row).onConflictDoNothing({ target: bookings.id }).run();
}

export function updateBooking(db: Drizzle, id: string, set: Partial<NewBooking>): void {
  db.update(bookings).set(set).where(eq(bookings.id, id)).run();
}

export function bookingById(db: Drizzle, id: string): BookingRecord | undefined {
  return db.select().from(bookings).where(eq(bookings.id, id)).get();
}

export function bookingByReference(db: Drizzle, code: string): BookingRecord | undefined {
  return db.select().from(bookings).where(sql`upper(${bookings.reference_code}) = upper(${code})`).get();
}

/** Walk-ins whose outcome staff must see: flagged ones and those still waiting for the cloud. */
export function walkInsByReconciliation(db: Drizzle, states: string[]): BookingRecord[] {
  return db
    .select()
    .from(bookings)
    .where(inArray(bookings.reconciliation, states))
    .orderBy(asc(bookings.start_time))
    .all();
}
