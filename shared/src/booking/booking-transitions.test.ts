import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validate } from '../schema/validate.js';
import {
  ACTIVE_STATUSES,
  BOOKING_STATUSES,
  type BookingStatus,
  BookingStatusSchema,
  isActiveStatus,
  isBookingStatus,
  isTerminalStatus,
} from './booking-status.js';
import { BookingTransitionError } from './booking-transition.error.js';
import {
  allowedTransitions,
  assertTransition,
  BOOKING_TRANSITIONS,
  canTransition,
} from './booking-transitions.js';

const ALLOWED: Array<[BookingStatus, BookingStatus]> = [
  ['pending', 'confirmed'],
  ['pending', 'cancelled'],
  ['confirmed', 'checked_in'],
  ['confirmed', 'cancelled'],
  ['confirmed', 'no_show'],
  ['checked_in', 'completed'],
];
const isAllowed = (from: BookingStatus, to: BookingStatus) =>
  ALLOWED.some(([f, t]) => f === from && t === to);

function refusal(from: BookingStatus, to: BookingStatus): BookingTransitionError {
  try {
    assertTransition(from, to);
  } catch (error) {
    if (error instanceof BookingTransitionError) return error;
    throw error;
  }
  throw new Error(`${from} → ${to} was not refused`);
}

describe('booking status machine', () => {
  it.each(ALLOWED)('allows %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition(from, to)).not.toThrow();
  });

  it('refuses every transition that is not in the table (property)', () => {
    const status = fc.constantFrom(...BOOKING_STATUSES);
    fc.assert(
      fc.property(status, status, (from, to) => {
        expect(canTransition(from, to)).toBe(isAllowed(from, to));
        if (!isAllowed(from, to)) expect(() => assertTransition(from, to)).toThrow(BookingTransitionError);
      }),
    );
    // The table itself holds nothing beyond the reviewed list.
    const tableSize = Object.values(BOOKING_TRANSITIONS).reduce((n, targets) => n + targets.length, 0);
    expect(tableSize).toBe(ALLOWED.length);
  });

  it('explains a refusal in words a person understands', () => {
    const error = refusal('cancelled', 'checked_in');
    expect(error.code).toBe('INVALID_STATE');
    expect(error.field).toBe('status');
    expect(error.from).toBe('cancelled');
    expect(error.to).toBe('checked_in');
    expect(error.message).toBe('a cancelled booking cannot be checked in (cancelled is final)');
  });

  it('tells what is possible from a non-final status', () => {
    expect(refusal('pending', 'checked_in').message).toBe(
      'a pending booking cannot be checked in (it can only be confirmed or cancelled)',
    );
    expect(refusal('no_show', 'checked_in').message).toBe(
      'a booking marked as a no-show cannot be checked in (no-show is final)',
    );
    expect(refusal('confirmed', 'confirmed').message).toBe(
      'a confirmed booking is already confirmed (it can only be checked in, cancelled or marked as a no-show)',
    );
  });

  it('makes exactly pending, confirmed and checked_in hold bay time', () => {
    expect([...ACTIVE_STATUSES]).toEqual(['pending', 'confirmed', 'checked_in']);
    expect(BOOKING_STATUSES.filter(isActiveStatus)).toEqual(['pending', 'confirmed', 'checked_in']);
  });

  it('lists the way out of each status, and none out of the final ones', () => {
    expect(allowedTransitions('confirmed')).toEqual(['checked_in', 'cancelled', 'no_show']);
    expect(BOOKING_STATUSES.filter(isTerminalStatus)).toEqual(['completed', 'cancelled', 'no_show']);
    for (const s of BOOKING_STATUSES) expect(allowedTransitions(s).length === 0).toBe(isTerminalStatus(s));
  });

  it('recognises status strings from outside', () => {
    expect(isBookingStatus('checked_in')).toBe(true);
    expect(isBookingStatus('checked-in')).toBe(false);
    expect(validate(BookingStatusSchema, 'no_show').ok).toBe(true);
    expect(validate(BookingStatusSchema, 'done').ok).toBe(false);
  });
});
