import { type RandomBytes, randomUint32, webRandomBytes } from './random.js';

export const PIN_LENGTH = 6;
const PIN_SPACE = 1_000_000;
// Largest multiple of 10^6 that fits in 32 bits: draws at or above it are redrawn, so every PIN
// has exactly the same chance (plain `% 10^6` would favour the 967,296 lowest PINs).
const UNBIASED_LIMIT = 2 ** 32 - (2 ** 32 % PIN_SPACE);

/** A uniformly random six-digit PIN, leading zeros kept ("004219"). */
export function generatePin(random: RandomBytes = webRandomBytes): string {
  for (;;) {
    const n = randomUint32(random);
    if (n < UNBIASED_LIMIT) return String(n % PIN_SPACE).padStart(PIN_LENGTH, '0');
  }
}

export function isValidPin(value: unknown): value is string {
  return typeof value === 'string' && /^\d{6}$/.test(value);
}
