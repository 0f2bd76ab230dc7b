import { Type } from '@sinclair/typebox';

export const BOOKING_STATUSES = [
  'pending',
  'confirmed',
  'checked_in',
  'completed',
  'cancelled',
  'no_show',
] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/**
 * Statuses that hold the bay's time. The database exclusion constraint
 * (docs/decisions/002-no-double-booking.md) and the edge's overlap check both filter on exactly this list, so
 * it must stay the single source.
 */
export const ACTIVE_STATUSES = [
  'pending',
  'confirmed',
  'checked_in',
] as const satisfies readonly BookingStatus[];
export type ActiveBookingStatus = (typeof ACTIVE_STATUSES)[number];

/** Nothing leaves these: a finished, cancelled or missed booking is history, not a plan. */
export const TERMINAL_STATUSES = [
  'completed',
  'cancelled',
  'no_show',
] as const satisfies readonly BookingStatus[];

export const BookingStatusSchema = Type.Union(BOOKING_STATUSES.map((s) => Type.Literal(s)));

export function isBookingStatus(value: unknown): value is BookingStatus {
  return typeof value === 'string' && (BOOKING_STATUSES as readonly string[]).includes(value);
}

export function isActiveStatus(status: BookingStatus): status is ActiveBookingStatus {
  return (ACTIVE_STATUSES as readonly BookingStatus[]).includes(status);
}

export function isTerminalStatus(status: BookingStatus): boolean {
  return (TERMINAL_STATUSES as readonly BookingStatus[]).includes(status);
}
