import { and, type Column, eq, inArray, isNull, ne, or, type SQL } from 'drizzle-orm';
import { bookings } from '../db/schema/index.js';

/** A checkout hold (open or expired) is a pending row with an expiry: not a booking yet. */
export const notAHold = or(ne(bookings.status, 'pending'), isNull(bookings.holdExpiresAt));

/**
 * The one rule for "staff of a facility may see this customer": the customer has a booking there,
 * in any status (cancelled and never-confirmed ones included). A checkout hold is not one, so a
 * guest who left the checkout stays unknown to the venue; a hold confirmed is a booking. Used by
 * the profile (`GET`/`PATCH /customers/:id`, through `CustomerRepository.facilityIdsOf`) and the
 * admin customer search. `facilityIds` omitted: at any facility.
 */
export function bookingsLinking(customerId: Column | string, facilityIds?: string[]): SQL | undefined {
  return and(
    eq(bookings.customerId, customerId),
    facilityIds ? inArray(bookings.facilityId, facilityIds) : undefined,
    notAHold,
  );
}
