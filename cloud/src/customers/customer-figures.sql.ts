import { and, type Column, eq, inArray, ne, type SQL, sql } from 'drizzle-orm';
import { bookings } from '../db/schema/index.js';

/**
 * A customer's figures at some facilities, counted as the customers row counts them
 * (bookings/booking.writer.ts and booking.repository.ts add a booking when it is written or
 * confirmed, booking-lifecycle.service.ts takes a counted one's refund off at cancellation,
 * guest-access/booking-claim.service.ts moves price − refund with a claimed booking): a booking
 * counts once confirmed and keeps counting when cancelled or missed; a checkout hold (`pending`)
 * does not (customer-totals.ts `countsInTotals`). Spend is price − refund, never below zero; the
 * last booking is the latest `created_at` of those. Staff see these instead of the row's
 * all-facility totals, in the admin customer search and in a customer's profile.
 */
export function countedBookings(customerId: Column | string, facilityIds: string[]): SQL | undefined {
  return and(
    eq(bookings.customerId, customerId),
    inArray(bookings.facilityId, facilityIds),
    ne(bookings.status, 'pending'),
  );
}

/** The figures over `countedBookings`, as aggregate expressions. */
export const countedFigures = {
  totalBookings: sql<number>`count(*)::int`,
  totalSpentCents: sql<number>`greatest(0, coalesce(sum(${bookings.priceCents} - coalesce(${bookings.refundCents}, 0)), 0))::int`,
  lastBookingAt: sql<string | Date | null>`max(${bookings.createdAt})`,
};
