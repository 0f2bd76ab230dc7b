import type { Booking } from '@clubos/shared/api';
import { DomainError, notFound } from '@clubos/shared/errors';
import { EXTEND_OFFER } from '@clubos/shared/notifications';
import { MINUTE_MS } from '@clubos/shared/time';
import type { AvailabilityService } from '../availability/availability.service.js';
import type { Database } from '../db/client.js';
import { SQLSTATE, sqlState } from '../db/errors.js';
import type { ChangeLogRepository } from '../edge-feed/change-log.repository.js';
import { enqueueNotification } from '../notifications/notification-outbox.js';
import type { RescheduleDifferenceService } from '../payments/reschedule-difference.service.js';
import { toBookingResponse, toFeedPayload } from './booking.mapper.js';
import type { BookingRepository, BookingRow } from './booking.repository.js';
import { bufferMinutesOf, carryRepricing } from './booking.support.js';

/** How much one tap adds: the next slot of the "10 minutes left — extend?" offer. */
export const EXTEND_MINUTES = EXTEND_OFFER.minutes;

const EXTENDABLE = new Set(['confirmed', 'checked_in']);

/**
 * Extends a session by the next slot on its bay (the "10 minutes left — extend?" link). The
 * session already started, so the time checked is the added slot alone, sold as the venue sells
 * time from now (`walk_in`); the price of the added slot follows the reschedule's payment rules
 * (`RescheduleDifferenceService`: saved card, else a Checkout for the difference).
 */
export class BookingExtendService {
  constructor(
    private readonly db: Database,
    private readonly repo: BookingRepository,
    private readonly availability: AvailabilityService,
    private readonly changeLog: ChangeLogRepository,
    private readonly difference: RescheduleDifferenceService,
  ) {}

  /** Whether the booking still ends at `expectedEnd` and the slot after it is free to add now. */
  async canExtend(bookingId: string, expectedEnd: number): Promise<boolean> {
    const row = await this.repo.findById(bookingId);
    if (!row || !EXTENDABLE.has(row.status) || row.endTime.getTime() !== expectedEnd) return false;
    const checked = await this.nextSlot(row);
    return checked.check.ok;
  }

  /** Extends the booking that still ends at `expectedEnd` (the link's); a moved one is refused. */
  async extend(bookingId: string, expectedEnd: number, returnUrl?: string): Promise<Booking> {
    const row = await this.repo.findById(bookingId);
    if (!row) throw notFound('booking', bookingId);
    if (!EXTENDABLE.has(row.status)) {
      throw new DomainError('INVALID_STATE', `a ${row.status.replace('_', '-')} booking cannot be extended`, {
        field: 'status',
      });
    }
    if (row.endTime.getTime() !== expectedEnd) {
      throw new DomainError(
        'INVALID_STATE',
        'this extend link is out of date: the booking ends at another time now',
        {
          field: 'token',
        },
      );
    }
    const checked = await this.nextSlot(row);
    if (!checked.check.ok) {
      throw new DomainError('SLOT_UNAVAILABLE', `the next slot is not free: ${checked.check.message}`, {
        field: 'end_time',
      });
    }
    const addedCents = checked.check.quote.total_cents;
    const end = expectedEnd + EXTEND_MINUTES * MINUTE_MS;
    const buffer = bufferMinutesOf(checked.input, row.simulatorId) * MINUTE_MS;
    const policy = await this.difference.policyFor(row.facilityId);
    try {
      const done = await this.db.transaction(async (tx) => {
        const paidOnline = await this.difference.paidOnline(tx, bookingId);
        const locked = (await this.repo.lockById(tx, bookingId))!;
        if (locked.endTime.getTime() !== expectedEnd || locked.status !== row.status)
          throw new DomainError('CONFLICT', 'the booking changed meanwhile; retry');
        await this.repo.claimBays(tx, [row.simulatorId]);
        const updated = await this.repo.update(tx, bookingId, {
          endTime: new Date(end),
          blockedUntil: new Date(end + buffer),
          duration: locked.duration + EXTEND_MINUTES,
          priceCents: locked.priceCents + addedCents,
        });
        // The customer's spend follows the new price, as for any re-priced booking.
        await carryRepricing(this.repo, tx, locked, updated);
        // The door window follows the new end (a break outside and back in still opens).
        await this.repo.extendAccessTokens(tx, bookingId, EXTEND_MINUTES * MINUTE_MS);
        await enqueueNotification(tx, { bookingId, facilityId: row.facilityId, kind: 'reschedule' });
        await this.changeLog.append(
          tx,
          row.facilityId,
          'booking',
          'upsert',
          bookingId,
          toFeedPayload(updated),
        );
        const prices = { before: locked.priceCents, after: updated.priceCents };
        const plan = await this.difference.plan(tx, updated, policy, prices, paidOnline, 'system');
        return { response: toBookingResponse(updated, null), plan };
      });
      const due = await this.difference.settle(bookingId, done.plan, returnUrl);
      return due ? { ...done.response, balance_due: due } : done.response;
    } catch (error) {
      const state = sqlState(error);
      if (state === SQLSTATE.exclusionViolation || state === SQLSTATE.deadlockDetected) {
        throw new DomainError('SLOT_UNAVAILABLE', 'the next slot was just booked by someone else');
      }
      throw error;
    }
  }

  private nextSlot(row: BookingRow) {
    return this.availability.check(row.simulatorId, row.endTime.getTime(), EXTEND_MINUTES, {
      ignoreBusyIds: [row.id],
      channel: 'walk_in',
    });
  }
}
