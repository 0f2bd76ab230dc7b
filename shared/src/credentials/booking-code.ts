import { type RandomBytes, webRandomBytes } from './random.js';

/**
 * Booking reference codes a customer can read aloud or type at the kiosk ("type your booking code").
 * 32 symbols without the look-alikes 0/O and 1/I: a byte's low 5 bits pick one with no bias,
 * and 6 symbols give 2^30 (about a billion) codes, so random collisions among a venue's live
 * bookings are rare; the database's unique index is the final word.
 */
export const BOOKING_CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const BOOKING_CODE_LENGTH = 6;

export function generateBookingCode(random: RandomBytes = webRandomBytes): string {
  const bytes = random(BOOKING_CODE_LENGTH);
  let code = '';
  for (let i = 0; i < BOOKING_CODE_LENGTH; i++) code += BOOKING_CODE_ALPHABET[(bytes[i] as number) & 31];
  return code;
}

/**
 * What a person typed → the canonical code, or null when it cannot be one. Case, spaces and dashes
 * are forgiven ("ab3-k7z" → "AB3K7Z"); look-alike characters are not guessed at, because a wrong
 * guess would point at someone else's booking.
 */
export function normalizeBookingCode(input: string): string | null {
  const code = input.replace(/[\s-]/g, '').toUpperCase();
  if (code.length !== BOOKING_CODE_LENGTH) return null;
  for (const ch of code) if (!BOOKING_CODE_ALPHABET.includes(ch)) return null;
  return code;
}
