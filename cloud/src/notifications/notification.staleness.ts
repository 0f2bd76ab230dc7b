import type { BookingFacts } from './notification.repository.js';

/**
 * Why a message would say something no longer true (every channel asks before sending): an offer
 * no longer open; a welcome for a session already over; a reminder for a booking moved, cancelled or already started.
 */
export function staleReason(f: BookingFacts, now: number): string | undefined {
  if (f.kind === 'waitlist_offer') {
    const open = f.bookingStatus === 'pending' && f.holdExpiresAt !== null && f.holdExpiresAt.getTime() > now;
    return open ? undefined : 'the offer is no longer open';
  }
  // A check-in that reaches the cloud after the session (the edge was offline) needs no welcome.
  if (f.kind === 'check_in_welcome' && f.end.getTime() <= now) return 'the session already ended';
  if (f.kind === 'no_show' && f.bookingStatus !== 'no_show') return `booking is ${f.bookingStatus}`;
  if ((f.kind === 'payment_receipt' || f.kind === 'refund_receipt') && f.receipt?.status !== 'succeeded') {
    return `the ${f.kind === 'refund_receipt' ? 'refund' : 'payment'} is ${f.receipt?.status ?? 'gone'}`;
  }
  if (f.kind === 'extend_offer') return extendOfferStale(f, now);
  if (f.kind !== 'reminder') return undefined;
  if (f.bookingStatus !== 'confirmed') return `booking is ${f.bookingStatus}`;
  const current = f.currentVersion;
  if (current !== f.version) return `booking changed (version ${f.version} → ${current})`;
  if (f.start.getTime() <= now) return 'booking already started';
  return undefined;
}

/** An extend offer for a session that ended, was cancelled, moved or already extended says nothing true. */
function extendOfferStale(f: BookingFacts, now: number): string | undefined {
  if (f.bookingStatus !== 'confirmed' && f.bookingStatus !== 'checked_in')
    return `booking is ${f.bookingStatus}`;
  const current = f.currentVersion;
  if (current !== f.version) return `booking changed (version ${f.version} → ${current})`;
  if (Math.round(f.end.getTime() / 60_000) !== f.offsetMinutes) return 'the booking now ends at another time';
  if (f.end.getTime() <= now) return 'the session already ended';
  return undefined;
}
