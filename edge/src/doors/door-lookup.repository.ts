import { and, eq, gt } from 'drizzle-orm';
import type { Drizzle } from '../db/database.js';
import { bays, bookings, facility, revocations } from '../db/schema.js';

export type DoorBooking = Pick<
  typeof bookings.$inferSelect,
  'id' | 'simulator_id' | 'status' | 'start_time' | 'end_time' | 'access_code'
>;

const bookingColumns = {
  id: bookings.id,
  simulator_id: bookings.simulator_id,
  status: bookings.status,
  start_time: bookings.start_time,
  end_time: bookings.end_time,
  access_code: bookings.access_code,
};

export function doorBookingById(db: Drizzle, id: string): DoorBooking | undefined {
  return db.select(bookingColumns).from(bookings).where(eq(bookings.id, id)).get();
}

/** Every booking carrying this PIN; PINs repeat over time, the caller picks by window. */
export function doorBookingsByPin(db: Drizzle, pin: string): DoorBooking[] {
  return db.select(bookingColumns).from(bookings).where(eq(bookings.access_code, pin)).all();
}

/** A revocation still in force for the booking (past `valid_until` the token is expired anyway). */
export function isRevoked(db: Drizzle, bookingId: string, now: number): boolean {
  const row = db
    .select({ id: revocations.id })
    .from(revocations)
    .where(and(eq(revocations.booking_id, bookingId), gt(revocations.valid_until, now)))
    .get();
  return row !== undefined;
}

export function bayDoorId(db: Drizzle, simulatorId: string): string | null {
  return (
    db.select({ door: bays.unifi_door_id }).from(bays).where(eq(bays.id, simulatorId)).get()?.door ?? null
  );
}

/** The facility's entrance doors (`settings.entrance_door_ids`), as the cloud puts them in tokens. */
export function facilityDoors(db: Drizzle): { facilityId: string | null; entranceDoorIds: string[] } {
  const row = db.select({ id: facility.id, settings: facility.settings }).from(facility).get();
  const configured = row?.settings?.entrance_door_ids;
  const entranceDoorIds = Array.isArray(configured)
    ? configured.filter((d): d is string => typeof d === 'string' && d.length > 0)
    : ['main'];
  return { facilityId: row?.id ?? null, entranceDoorIds };
}

/** Every door of the venue that ClubOS knows: the entrances, then each bay's door. */
export function facilityDoorIds(db: Drizzle): string[] {
  const bayDoors = db
    .select({ door: bays.unifi_door_id })
    .from(bays)
    .all()
    .map((b) => b.door)
    .filter((d): d is string => d !== null && d !== '');
  return [...new Set([...facilityDoors(db).entranceDoorIds, ...bayDoors])];
}
