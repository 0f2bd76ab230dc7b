import type { BookingRecord } from '../bookings/booking.repository.js';
import type { BookingService } from '../bookings/booking.service.js';
import { toBookingResponse } from '../bookings/booking-response.js';
import { readDeviceStatus } from '../broker/device.repository.js';
import type { EdgeDatabase } from '../db/database.js';
import { bayDoorId, facilityDoors } from '../doors/door-lookup.repository.js';
import { allStepsOf } from '../sessions/session.repository.js';

const ACTIVE = new Set(['pending', 'confirmed', 'checked_in']);

/**
 * The staff board: per bay the booking playing now and the next one, whether the bay PC is online
 * and the last session step sent to it. Read from the replica only, so it is the same offline.
 */
export function consoleBoard(database: EdgeDatabase, bookings: BookingService, now: number) {
  const schedule = bookings.schedule();
  const doors = facilityDoors(database.db);
  return {
    date: schedule.date,
    timezone: schedule.timezone,
    entrance_door_ids: doors.entranceDoorIds,
    bays: schedule.bays.map((bay) => {
      const active = bay.bookings.filter((b) => ACTIVE.has(b.status));
      const current = active.find((b) => b.start_time <= now && now < b.end_time) ?? null;
      const next = active.find((b) => b.start_time > now) ?? null;
      const device = readDeviceStatus(database.db, 'bay', bay.simulator_id);
      return {
        simulator_id: bay.simulator_id,
        name: bay.name,
        bay_number: bay.bay_number,
        status: bay.status,
        door_id: bayDoorId(database.db, bay.simulator_id),
        device_presence: device?.presence ?? 'unknown',
        session_step: current === null ? null : lastStep(database, current),
        now: current === null ? null : toBookingResponse(current),
        next: next === null ? null : toBookingResponse(next),
        bookings: bay.bookings.map(toBookingResponse),
      };
    }),
  };
}

function lastStep(database: EdgeDatabase, booking: BookingRecord): string | null {
  const steps = allStepsOf(database.db, booking.id);
  return steps.at(-1)?.step ?? null;
}
