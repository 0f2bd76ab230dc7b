import { randomUUID } from 'node:crypto';
import { checkInRefused, checkInVerdict, isBookingStatus } from '@clubos/shared/booking';
import { normalizeBookingCode } from '@clubos/shared/credentials';
import { DomainError } from '@clubos/shared/errors';
import { CHECK_IN_METHODS, type CheckInMethod, type OutboxEventType } from '@clubos/shared/sync';
import { facilityDay, localDateOf } from '@clubos/shared/time';
import { appendAudit } from '../audit/audit.repository.js';
import { readBays, readFacility } from '../availability/replica-read.repository.js';
import type { EdgeDatabase } from '../db/database.js';
import { enqueueEvent } from '../sync/outbox.repository.js';
import { verifyWithTrustedKeys } from '../walk-ins/walk-in-credentials.js';
import {
  type BookingRecord,
  bookingById,
  bookingByReference,
  bookingsBetween,
  updateBooking,
} from './booking.repository.js';

export const CHECK_IN_EVENT = 'booking.checked_in' satisfies OutboxEventType;
export { CHECK_IN_METHODS };

export interface DaySchedule {
  date: string;
  timezone: string;
  bays: {
    simulator_id: string;
    name: string;
    bay_number: number | null;
    status: string;
    bookings: BookingRecord[];
  }[];
}

/** Lookup, check-in and the day's schedule, all from the replica: they work the same offline. */
export class BookingService {
  constructor(
    private readonly database: EdgeDatabase,
    /** The cloud's door-token key: a QR is trusted for lookup only once its signature holds. */
    private readonly accessTokenPublicKey: Uint8Array | null,
    private readonly now: () => number = Date.now,
    /** This edge's own key for the walk-ins it sold (their QR tokens); null while it sold none. */
    private readonly walkInKey: () => Uint8Array | null = () => null,
  ) {}

  /** By the reference code a customer types (forgiving case, spaces, dashes) or the QR they scan. */
  lookup(query: { code?: string; qr?: string }): BookingRecord {
    if (query.code !== undefined) {
      const code = normalizeBookingCode(query.code);
      if (code === null) {
        throw new DomainError('VALIDATION_FAILED', 'code must be a 6-character booking code', {
          field: 'code',
        });
      }
      const booking = bookingByReference(this.database.db, code);
      if (booking === undefined)
        throw new DomainError('NOT_FOUND', `no booking with code ${code}`, { field: 'code' });
      return booking;
    }
    if (query.qr !== undefined && query.qr !== '') return this.get(this.bookingIdFromQr(query.qr));
    throw new DomainError('VALIDATION_FAILED', 'give either code or qr', { field: 'code' });
  }

  /**
   * The booking a door QR names. Lookup is not a door decision, so the door and the time window do
   * not matter (an early or expired code still finds its booking); the signature and the facility do.
   */
  private bookingIdFromQr(qr: string): string {
    const keys = [this.accessTokenPublicKey, this.walkInKey()];
    if (keys.every((k) => k === null)) {
      throw new DomainError('NOT_READY', 'QR lookup needs ACCESS_TOKEN_PUBLIC_KEY configured on the edge');
    }
    const facility = readFacility(this.database.db);
    if (facility === null)
      throw new DomainError('NOT_READY', 'the edge has not loaded its facility from the cloud yet');
    const result = verifyWithTrustedKeys(qr, keys, { facilityId: facility.id, door: '-', now: this.now() });
    if (result === null) throw new DomainError('NOT_READY', 'no door-token key is configured on the edge');
    const claims = result.claims;
    if (claims === undefined || (!result.ok && result.reason === 'wrong_facility')) {
      const why = result.ok ? 'unreadable' : result.reason;
      throw new DomainError('VALIDATION_FAILED', `qr is not a valid access code for this venue (${why})`, {
        field: 'qr',
      });
    }
    return claims.booking_id;
  }

  get(id: string): BookingRecord {
    const booking = bookingById(this.database.db, id);
    if (booking === undefined)
      throw new DomainError('NOT_FOUND', `booking ${id} does not exist`, { field: 'id' });
    return booking;
  }

  /**
   * Checks a booking in and queues the event for the cloud in the same transaction. Checking in
   * twice returns the booking unchanged (a kiosk retry must not fail or queue a second event).
   */
  checkIn(id: string, method: CheckInMethod, actor: string): BookingRecord {
    const { database } = this;
    return database.immediate(() => {
      const booking = bookingById(database.db, id);
      if (booking === undefined)
        throw new DomainError('NOT_FOUND', `booking ${id} does not exist`, { field: 'id' });
      const now = this.now();
      // A status this edge does not know (a newer cloud) is refused like a cancelled booking.
      const status = isBookingStatus(booking.status) ? booking.status : 'cancelled';
      const verdict = checkInVerdict(
        { status, startTime: booking.start_time, endTime: booking.end_time },
        now,
      );
      if (!verdict.ok) {
        // A kiosk retry after a lost answer gets the booking unchanged, and no second event.
        if (verdict.reason === 'already_checked_in') return booking;
        throw checkInRefused(verdict);
      }
      updateBooking(database.db, id, { status: 'checked_in', check_in_time: now, updated_at: now });
      enqueueEvent(database.db, {
        event_id: randomUUID(),
        type: CHECK_IN_EVENT,
        occurred_at: now,
        payload: { booking_id: id, checked_in_at: new Date(now).toISOString(), method },
      });
      appendAudit(database.db, { at: now, kind: 'booking.checked_in', actor, subject: id, decision: method });
      return bookingById(database.db, id)!;
    });
  }

  /** Today's bookings (facility-local day) per bay, every status, in start order. */
  schedule(date?: string): DaySchedule {
    const facility = readFacility(this.database.db);
    if (facility === null)
      throw new DomainError('NOT_READY', 'the edge has not loaded its facility from the cloud yet');
    const day = date ?? localDateOf(this.now(), facility.timezone);
    const span = facilityDay(day, facility.timezone);
    const all = bookingsBetween(this.database.db, span.start, span.end);
    return {
      date: day,
      timezone: facility.timezone,
      bays: readBays(this.database.db).map((bay) => ({
        simulator_id: bay.id,
        name: bay.name,
        bay_number: bay.bay_number,
        status: bay.status,
        bookings: all.filter((b) => b.simulator_id === bay.id),
      })),
    };
  }
}
