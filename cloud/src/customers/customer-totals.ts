import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { customers } from '../db/schema/index.js';

/**
 * Whether a customer's running totals counted this booking: every status past `pending` was
 * confirmed once and added; a pending one (a checkout hold, or a booking never confirmed) was not,
 * so cancelling, erasing or re-pricing it must leave the totals alone.
 */
export const countsInTotals = (booking: { status: string }): boolean => booking.status !== 'pending';

/**
 * The one update of a customer's running totals (`total_bookings`, `total_spent_cents`,
 * `last_booking_at`): a booking written or confirmed adds 1 and its price, a cancellation or an
 * erasure takes its refund off, a re-priced move the difference. Spend never goes below zero.
 */
export async function addCustomerTotals(
  tx: Executor,
  customerId: string,
  bookingsDelta: number,
  spentDeltaCents: number,
): Promise<void> {
  await tx
    .update(customers)
    .set({
      totalBookings: sql`${customers.totalBookings} + ${bookingsDelta}`,
      totalSpentCents: sql`greatest(0, ${customers.totalSpentCents} + ${spentDeltaCents})`,
      ...(bookingsDelta > 0 ? { lastBookingAt: new Date() } : {}),
      updatedAt: new Date(),
    })
    .where(eq(customers.id, customerId));
}
