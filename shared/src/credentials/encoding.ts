/**
 * Byte ↔ text codecs for tokens and keys, written here because the browser apps and the edge share
 * them (no Node `Buffer`). Decoding is strict: exactly one text per byte string, so a token
 * cannot be altered (e.g. in the unused low bits of the last base64url character) and still pass
 * as the same token.
 */
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const LOOKUP = new Int8Array(128).fill(-1);
for (let i = 0; i < B64URL.length; i++) LOOKUP[B64URL.charCodeAt(i)] = i;

/** Unpadded base64url (RFC 4648 §5). */
export function base64UrlEncode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b1 = bytes[i + 1];
    const b2 = bytes[i + 2];
    const n = ((bytes[i] as number) << 16) | ((b1 ?? 0) << 8) | (b2 ?? 0);
    out += B64URL[(n >> 18) & 63]! + B64URL[(n >> 12) & 63]!;
    if (b1 !== undefined) out += B64URL[(n >> 6) & 63]!;
    if (b2 !== undefined) out += B64URL[n & 63]!;
  }
  return out;
}

/** Unpadded base64url → bytes, or null for any character outside the alphabet or non-canonical text. */
export function base64UrlDecode(text: string): Uint8Array | null {
  if (text.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((text.length * 6) / 8));
  let buffer = 0;
  let bits = 0;
  let j = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? (LOOKUP[code] as number) : -1;
    if (value < 0) return null;
    buffer = (buffer << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[j++] = (buffer >> bits) & 0xff;
    }
    buffer &= (1 << bits) - 1;
  }
  // Leftover bits must be zero: 'AB' and 'AA' would otherwise both decode to [0].
  return buffer === 0 ? out : null;
}

export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** Hex (either case) → bytes, or null when the text is not an even run of hex digits. */
export function hexToBytes(text: string): Uint8Array | null {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return null;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Standard or url-safe base64, padded or not (keys pasted from other tools come in every flavour). */
export function base64AnyDecode(text: string): Uint8Array | null {
  const urlSafe = text
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/={1,2}$/, '');
  return base64UrlDecode(urlSafe);
}
