import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BOOKING_CODE_ALPHABET, generateBookingCode, normalizeBookingCode } from './booking-code.js';

describe('booking reference codes', () => {
  it('uses 32 symbols without the look-alikes 0, O, 1 and I', () => {
    expect(new Set(BOOKING_CODE_ALPHABET).size).toBe(32);
    for (const ch of '0O1I') expect(BOOKING_CODE_ALPHABET).not.toContain(ch);
  });

  it('maps every byte value evenly onto the alphabet (8 bytes per symbol)', () => {
    const counts = new Map<string, number>();
    for (let b = 0; b < 256; b += 6) {
      const bytes = Uint8Array.from({ length: 6 }, (_, i) => (b + i) & 255);
      for (const ch of generateBookingCode(() => bytes)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    expect(counts.size).toBe(32);
    expect(Math.max(...counts.values()) - Math.min(...counts.values())).toBeLessThanOrEqual(1);
  });

  it('generates six-symbol codes that normalise to themselves (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 6, maxLength: 6 }), (bytes) => {
        const code = generateBookingCode(() => bytes);
        expect(code).toMatch(/^[2-9A-HJ-NP-Z]{6}$/);
        expect(normalizeBookingCode(code)).toBe(code);
        expect(normalizeBookingCode(` ${code.slice(0, 3).toLowerCase()}-${code.slice(3)} `)).toBe(code);
      }),
    );
    expect(generateBookingCode()).toMatch(/^[2-9A-HJ-NP-Z]{6}$/);
  });

  it('refuses what cannot be a code instead of guessing', () => {
    for (const bad of ['ABC12', 'ABCDEFG', 'ABCD0E', 'ABCDOE', '', 'ABC DE']) {
      expect(normalizeBookingCode(bad)).toBeNull();
    }
  });
});
