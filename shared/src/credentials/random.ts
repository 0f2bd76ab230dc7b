/** Source of cryptographically strong random bytes; injectable so tests can drive edge cases. */
export type RandomBytes = (length: number) => Uint8Array;

/** Web Crypto, available in browsers, Electron and Node ≥ 19 as `globalThis.crypto`. */
export const webRandomBytes: RandomBytes = (length) =>
  globalThis.crypto.getRandomValues(new Uint8Array(length));

export function randomUint32(random: RandomBytes): number {
  const b = random(4);
  if (b.length !== 4) throw new RangeError('random source returned the wrong number of bytes');
  return (
    (((b[0] as number) << 24) | ((b[1] as number) << 16) | ((b[2] as number) << 8) | (b[3] as number)) >>> 0
  );
}
