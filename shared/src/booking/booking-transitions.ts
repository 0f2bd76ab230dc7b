import { type BookingStatus, isTerminalStatus } from './booking-status.js';
import { BookingTransitionError } from './booking-transition.error.js';

/**
 * Every allowed move of the status machine; anything not listed is refused.
 * - A booking is checked in only once it is confirmed (paid/accepted), never straight from pending.
 * - `no_show` is decided on a confirmed booking whose start passed without a check-in.
 * - Terminal statuses have no way out: reopening a cancelled or missed booking would silently
 *   re-claim time that may have been sold again; staff create a new booking instead.
 */
export const BOOKING_TRANSITIONS: Readonly<Record<BookingStatus, readonly BookingStatus[]>> = {
  pending: ['confirmed', 'cancelled'],
  confirmed: ['checked_in', 'cancelled', 'no_show'],
  checked_in: ['completed'],
  completed: [],
  cancelled: [],
  no_show: [],
};

const SUBJECT: Record<BookingStatus, string> = {
  pending: 'a pending booking',
  confirmed: 'a confirmed booking',
  checked_in: 'a checked-in booking',
  completed: 'a completed booking',
  cancelled: 'a cancelled booking',
  no_show: 'a booking marked as a no-show',
};

const VERB: Record<BookingStatus, string> = {
  pending: 'set back to pending',
  confirmed: 'confirmed',
  checked_in: 'checked in',
  completed: 'completed',
  cancelled: 'cancelled',
  no_show: 'marked as a no-show',
};

export function allowedTransitions(from: BookingStatus): readonly BookingStatus[] {
  return BOOKING_TRANSITIONS[from];
}

export function canTransition(from: BookingStatus, to: BookingStatus): boolean {
  return BOOKING_TRANSITIONS[from].includes(to);
}

function joinOr(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** "a cancelled booking cannot be checked in (cancelled is final)". */
export function describeRefusedTransition(from: BookingStatus, to: BookingStatus): string {
  const state = to === 'pending' ? 'pending' : VERB[to];
  const base =
    from === to ? `${SUBJECT[from]} is already ${state}` : `${SUBJECT[from]} cannot be ${VERB[to]}`;
  const hint = isTerminalStatus(from)
    ? `${from.replace('_', '-')} is final`
    : `it can only be ${joinOr(BOOKING_TRANSITIONS[from].map((s) => VERB[s]))}`;
  return `${base} (${hint})`;
}

/** Throws a `BookingTransitionError` (INVALID_STATE, a 409 at the API) when refused. */
export function assertTransition(from: BookingStatus, to: BookingStatus): void {
  if (!canTransition(from, to))
    throw new BookingTransitionError(from, to, describeRefusedTransition(from, to));
}
