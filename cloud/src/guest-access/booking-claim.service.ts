import type { ClaimBookingBody, ClaimBookingResponse } from '@clubos/shared/api';
import { DomainError, forbidden } from '@clubos/shared/errors';
import type { UserPrincipal } from '../auth/index.js';
import { toBookingResponse, toFeedPayload } from '../bookings/booking.mapper.js';
import type { BookingRow } from '../bookings/booking.repository.js';
import type { Database } from '../db/client.js';
import type { ChangeLogRepository } from '../edge-feed/change-log.repository.js';
import type { AttemptLimiter } from './attempt-limiter.js';
import { bookingCodeOf, pinMatches } from './booking-proof.js';
import type { GuestAccessRepository } from './guest-access.repository.js';

/** What a booking adds to its customer's running total: the price less any refund. */
const spentOn = (row: BookingRow) => row.priceCents - (row.refundCents ?? 0);

/**
 * A signed-in customer adds a booking they made as a guest to their account, proving it with the
 * booking code and PIN that only the booker was given. One claim moves one booking (with the rest
 * of its series or group, made in the same checkout), never the guest record's other bookings:
 * anyone can book as a guest under any email, so one proven booking says nothing about the others.
 */
export class BookingClaimService {
  constructor(
    private readonly db: Database,
    private readonly repo: GuestAccessRepository,
    private readonly changeLog: ChangeLogRepository,
    private readonly limiter: AttemptLimiter,
  ) {}

  async claim(principal: UserPrincipal, body: ClaimBookingBody): Promise<ClaimBookingResponse> {
    const customerId = principal.customerId;
    if (!customerId) throw forbidden('This account has no customer record');
    const code = bookingCodeOf(body.reference_code);
    await this.limiter.assertAllowed(code, 'pin');
    const found = await this.repo.findByReference(code);
    if (found.length === 0) {
      await this.limiter.fail(code);
      throw new DomainError('NOT_FOUND', `No booking has the code ${code}`, { field: 'reference_code' });
    }
    // Two venues may share a code: the PIN says which booking is meant.
    const booking = found.find((b) => pinMatches(b.accessCode, body.pin));
    if (!booking) {
      await this.limiter.fail(code);
      throw new DomainError('FORBIDDEN', `The PIN does not match booking ${code}`, { field: 'pin' });
    }
    await this.limiter.succeed(code);
    if (booking.customerId === customerId) return this.answer(customerId, [booking]);

    const moved = await this.db.transaction(async (tx) => {
      const rows = await this.repo.lockClaimable(tx, booking);
      const locked = rows.find((r) => r.id === booking.id);
      if (!locked || locked.customerId !== booking.customerId) {
        throw new DomainError('CONFLICT', `booking ${code} changed meanwhile; try again`, {
          field: 'reference_code',
        });
      }
      // Bookings made while signed in belong to that account: a code and PIN do not move them.
      if (booking.customerId && (await this.repo.hasAccount(booking.customerId, tx))) {
        throw new DomainError('CONFLICT', `Booking ${code} already belongs to an account`, {
          field: 'reference_code',
        });
      }
      // Both records' totals change: lock them now, in id order like every writer of totals, and
      // before the move (its foreign-key check would lock the new record first). After the
      // bookings: booking, then customer, then the change log, as a cancellation.
      await this.repo.lockCustomers(tx, booking.customerId ? [booking.customerId, customerId] : [customerId]);
      const updated = await this.repo.moveToCustomer(
        tx,
        rows.map((r) => r.id),
        customerId,
      );
      const spent = updated.reduce((sum, r) => sum + spentOn(r), 0);
      if (booking.customerId) {
        await this.repo.addTotals(tx, booking.customerId, { bookings: -updated.length, spentCents: -spent });
      }
      const latest = new Date(Math.max(...updated.map((r) => r.createdAt.getTime())));
      await this.repo.addTotals(tx, customerId, {
        bookings: updated.length,
        spentCents: spent,
        lastBookingAt: latest,
      });
      // Edges replicate the booking's customer; tell them who it belongs to now.
      for (const row of updated) {
        await this.changeLog.append(tx, row.facilityId, 'booking', 'upsert', row.id, toFeedPayload(row));
      }
      return updated;
    });
    return this.answer(customerId, moved);
  }

  private async answer(customerId: string, rows: BookingRow[]): Promise<ClaimBookingResponse> {
    const claimed = [];
    for (const row of rows.sort((a, b) => a.startTime.getTime() - b.startTime.getTime())) {
      const active = row.status === 'confirmed' || row.status === 'pending';
      claimed.push(toBookingResponse(row, active ? await this.repo.qrTokenOf(row.id) : null));
    }
    return { customer_id: customerId, claimed };
  }
}
