import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64UrlDecode, base64UrlEncode, bytesToHex, hexToBytes } from './encoding.js';

describe('byte encodings', () => {
  it('matches the platform base64url and round-trips (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const text = base64UrlEncode(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
        expect(base64UrlDecode(text)).toEqual(bytes);
        expect(hexToBytes(bytesToHex(bytes))).toEqual(bytes);
      }),
    );
  });

  it('decodes strictly: one text per byte string', () => {
    expect(base64UrlDecode('AA')).toEqual(Uint8Array.from([0]));
    expect(base64UrlDecode('AB')).toBeNull(); // unused low bits set
    expect(base64UrlDecode('AAA')).toEqual(Uint8Array.from([0, 0]));
    expect(base64UrlDecode('AAB')).toBeNull();
    expect(base64UrlDecode('A')).toBeNull();
    expect(base64UrlDecode('AA==')).toBeNull();
    expect(base64UrlDecode('+/AA')).toBeNull();
    expect(base64UrlDecode('AAé')).toBeNull();
    expect(hexToBytes('abc')).toBeNull();
    expect(hexToBytes('zz')).toBeNull();
  });
});
