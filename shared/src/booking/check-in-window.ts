import { DomainError } from '../errors/domain-error.js';
import type { BookingStatus } from './booking-status.js';
import { canTransition, describeRefusedTransition } from './booking-transitions.js';

/** Check-in opens this long before a booking's start and closes at its end, at the door and online. */
export const CHECK_IN_OPENS_BEFORE_MS = 15 * 60_000;

export interface CheckInSubject {
  status: BookingStatus;
  /** Epoch ms. */
  startTime: number;
  endTime: number;
}

export type CheckInVerdict =
  | { ok: true }
  | { ok: false; reason: 'already_checked_in' }
  | { ok: false; reason: 'status'; message: string }
  | { ok: false; reason: 'too_early'; message: string; opensAt: number }
  | { ok: false; reason: 'ended'; message: string };

/**
 * Whether a booking may be checked in at `now`: only a confirmed booking, from 15 minutes before its
 * start until its end. The status is judged first, so a cancelled booking is refused as cancelled
 * whatever the time. A booking already checked in is its own verdict: the edge answers a kiosk's
 * retry with the booking unchanged, the cloud API with a 409.
 */
export function checkInVerdict(booking: CheckInSubject, now: number): CheckInVerdict {
  if (booking.status === 'checked_in') return { ok: false, reason: 'already_checked_in' };
  if (!canTransition(booking.status, 'checked_in')) {
    return { ok: false, reason: 'status', message: describeRefusedTransition(booking.status, 'checked_in') };
  }
  const opensAt = booking.startTime - CHECK_IN_OPENS_BEFORE_MS;
  if (now < opensAt) {
    const at = new Date(opensAt).toISOString();
    return {
      ok: false,
      reason: 'too_early',
      opensAt,
      message: `check-in opens at ${at}, 15 minutes before the start`,
    };
  }
  if (now >= booking.endTime)
    return { ok: false, reason: 'ended', message: 'this booking has already ended' };
  return { ok: true };
}

/** The refusal of a verdict as the error both APIs answer (INVALID_STATE, naming `status`). */
export function checkInRefused(verdict: Exclude<CheckInVerdict, { ok: true }>): DomainError {
  if (verdict.reason === 'already_checked_in') {
    return new DomainError('INVALID_STATE', describeRefusedTransition('checked_in', 'checked_in'), {
      field: 'status',
    });
  }
  const extra =
    verdict.reason === 'too_early' ? { opens_at: new Date(verdict.opensAt).toISOString() } : undefined;
  return new DomainError('INVALID_STATE', verdict.message, { field: 'status', ...(extra ? { extra } : {}) });
}
