import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generatePin, isValidPin } from './pin.js';
import type { RandomBytes } from './random.js';

/** A random source that returns the given 32-bit words, big-endian, one per call. */
function words(...values: number[]): RandomBytes {
  const queue = [...values];
  return (length) => {
    expect(length).toBe(4);
    const v = queue.shift();
    if (v === undefined) throw new Error('random source exhausted');
    return Uint8Array.from([v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255]);
  };
}

describe('PIN generation', () => {
  it('always yields six digits (property over the whole 32-bit input space)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 2 ** 32 - 1 }), { minLength: 20, maxLength: 20 }), (draws) => {
        const pin = generatePin(words(...draws, 0));
        expect(pin).toMatch(/^\d{6}$/);
        expect(isValidPin(pin)).toBe(true);
      }),
    );
    for (let i = 0; i < 200; i++) expect(generatePin()).toMatch(/^\d{6}$/);
  });

  it('keeps leading zeros', () => {
    expect(generatePin(words(42))).toBe('000042');
  });

  it('redraws the biased top of the range instead of folding it with %', () => {
    // 4,294,000,000 is the first value beyond the last full block of 10^6.
    expect(generatePin(words(4_294_000_000, 7))).toBe('000007');
    expect(generatePin(words(2 ** 32 - 1, 4_293_999_999))).toBe('999999');
  });

  it('recognises PINs', () => {
    expect(isValidPin('012345')).toBe(true);
    for (const bad of ['12345', '1234567', '12a456', 123456, null]) expect(isValidPin(bad)).toBe(false);
  });
});
