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
  if (f.kind !== 'reminder') return undefined;
  if (f.bookingStatus !== 'confirmed') return `booking is ${f.bookingStatus}`;
  const current = f.currentVersion;
  if (current !== f.version) return `booking changed (version ${f.version} → ${current})`;
  if (f.start.getTime() <= now) return 'booking already started';
  return undefined;
}
