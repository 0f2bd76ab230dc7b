import { timingSafeEqual } from 'node:crypto';
import { normalizeBookingCode } from '@clubos/shared/credentials';
import { badRequest } from '@clubos/shared/errors';

/** The canonical booking code, or 400 naming `reference_code`. */
export function bookingCodeOf(input: string): string {
  const code = normalizeBookingCode(input);
  if (!code) {
    throw badRequest(
      'reference_code',
      'A booking code has 6 letters and digits, like AB3K7Z (see your confirmation)',
    );
  }
  return code;
}

/** PIN comparison in constant time, so response timing does not leak how many digits matched. */
export function pinMatches(stored: string | null, given: string): boolean {
  if (!stored) return false;
  const a = Buffer.from(stored);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
