import { and, asc, eq, gt, inArray, isNotNull, lte, notInArray } from 'drizzle-orm';
import type { Drizzle } from '../db/database.js';
import { bookings, unifiVisitors } from '../db/schema.js';

export type VisitorRecord = typeof unifiVisitors.$inferSelect;
export type ProvisionedBooking = typeof bookings.$inferSelect;

/** Bookings that should hold (or drop) a UniFi visitor: not yet over, starting within the horizon. */
export function bookingsToProvision(db: Drizzle, now: number, until: number): ProvisionedBooking[] {
  return db
    .select()
    .from(bookings)
    .where(and(gt(bookings.end_time, now), lte(bookings.start_time, until)))
    .orderBy(asc(bookings.start_time))
    .all();
}

export function allVisitors(db: Drizzle): VisitorRecord[] {
  return db.select().from(unifiVisitors).all();
}

export function visitorOf(db: Drizzle, bookingId: string): VisitorRecord | undefined {
  return db.select().from(unifiVisitors).where(eq(unifiVisitors.booking_id, bookingId)).get();
}

export function upsertWanted(db: Drizzle, row: typeof unifiVisitors.$inferInsert): void {
  const {
    booking_id: _id,
    visitor_id: _v,
    have_start: _s,
    have_end: _e,
    have_doors: _d,
    have_pin: _p,
    ...wanted
  } = row;
  db.insert(unifiVisitors)
    .values(row)
    .onConflictDoUpdate({ target: unifiVisitors.booking_id, set: wanted })
    .run();
}

export function updateVisitor(
  db: Drizzle,
  bookingId: string,
  set: Partial<typeof unifiVisitors.$inferInsert>,
): void {
  db.update(unifiVisitors).set(set).where(eq(unifiVisitors.booking_id, bookingId)).run();
}

export function dueVisitors(db: Drizzle, now: number, limit: number): VisitorRecord[] {
  return db
    .select()
    .from(unifiVisitors)
    .where(and(eq(unifiVisitors.state, 'pending'), lte(unifiVisitors.next_attempt_at, now)))
    .orderBy(asc(unifiVisitors.next_attempt_at))
    .limit(limit)
    .all();
}

/** Visitors whose booking left the replica or the horizon's past; `keep` are those still wanted. */
export function visitorsNotIn(db: Drizzle, keep: string[]): VisitorRecord[] {
  const present = eq(unifiVisitors.wanted, 'present');
  return db
    .select()
    .from(unifiVisitors)
    .where(keep.length === 0 ? present : and(present, notInArray(unifiVisitors.booking_id, keep)))
    .all();
}

export function bookingsByIds(db: Drizzle, ids: string[]): Map<string, ProvisionedBooking> {
  const found = new Map<string, ProvisionedBooking>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const row of db
      .select()
      .from(bookings)
      .where(inArray(bookings.id, ids.slice(i, i + 500)))
      .all())
      found.set(row.id, row);
  }
  return found;
}

/** Visitors we believe the controller holds for bookings not yet over: what a controller check reads. */
export function syncedUpcomingVisitors(db: Drizzle, now: number): VisitorRecord[] {
  return db
    .select()
    .from(unifiVisitors)
    .where(
      and(
        eq(unifiVisitors.state, 'synced'),
        eq(unifiVisitors.wanted, 'present'),
        gt(unifiVisitors.want_end, now),
        isNotNull(unifiVisitors.visitor_id),
      ),
    )
    .all();
}
