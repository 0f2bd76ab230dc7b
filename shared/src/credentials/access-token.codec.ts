import {
  ACCESS_TOKEN_VERSION,
  type AccessClaims,
  checkClaims,
  isUuid,
  MAX_TOKEN_DOORS,
} from './access-claims.js';
import { bytesToHex, hexToBytes } from './encoding.js';

/**
 * Binary payload of an access token, version 1 (big-endian):
 *
 *   u8 version (1) | u8 flags (bit 0: bay_id present; other bits 0)
 *   id booking_id | id facility_id | u32 nbf | u32 exp
 *   u8 door count (1–8) | id × count | id bay_id (if flagged)
 *
 *   id = 0x01 + 16 bytes (a UUID)  |  0x02 + u8 length (1–128) + UTF-8 text
 *
 * Binary rather than JSON keeps a one-door, one-bay token near 200 characters, a QR code that
 * phone screens and cheap scanners read at a glance. Decoding refuses trailing bytes, unknown
 * tags and flags, and bad UTF-8: the parser accepts exactly what the encoder writes.
 */
const TAG_UUID = 0x01;
const TAG_TEXT = 0x02;
const FLAG_BAY = 0x01;

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

class Writer {
  private readonly parts: number[] = [];
  u8(n: number): void {
    this.parts.push(n & 0xff);
  }
  u32(n: number): void {
    this.parts.push((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
  }
  bytes(b: Uint8Array): void {
    for (const x of b) this.parts.push(x);
  }
  id(id: string): void {
    if (isUuid(id)) {
      this.u8(TAG_UUID);
      this.bytes(hexToBytes(id.replace(/-/g, '')) as Uint8Array);
    } else {
      const text = utf8.encode(id);
      this.u8(TAG_TEXT);
      this.u8(text.length);
      this.bytes(text);
    }
  }
  done(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** Thrown only inside this module (short input, unknown tag); `decodeClaims` turns it into `null`. */
class MalformedPayload extends Error {}

class Reader {
  private at = 0;
  constructor(private readonly buf: Uint8Array) {}
  private take(n: number): Uint8Array {
    if (this.at + n > this.buf.length) throw new MalformedPayload();
    const out = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
  u8(): number {
    return this.take(1)[0] as number;
  }
  u32(): number {
    const b = this.take(4);
    return (
      (((b[0] as number) << 24) | ((b[1] as number) << 16) | ((b[2] as number) << 8) | (b[3] as number)) >>> 0
    );
  }
  id(): string {
    const tag = this.u8();
    if (tag === TAG_UUID) {
      const hex = bytesToHex(this.take(16));
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    }
    if (tag !== TAG_TEXT) throw new MalformedPayload();
    const length = this.u8();
    if (length === 0) throw new MalformedPayload();
    return utf8Strict.decode(this.take(length));
  }
  get finished(): boolean {
    return this.at === this.buf.length;
  }
}

/** Claims → payload bytes. Throws `DomainInputError` naming the bad claim. */
export function encodeClaims(claims: AccessClaims): Uint8Array {
  const c = checkClaims(claims);
  const w = new Writer();
  w.u8(ACCESS_TOKEN_VERSION);
  w.u8(c.bay_id === null ? 0 : FLAG_BAY);
  w.id(c.booking_id);
  w.id(c.facility_id);
  w.u32(c.nbf);
  w.u32(c.exp);
  w.u8(c.doors.length);
  for (const door of c.doors) w.id(door);
  if (c.bay_id !== null) w.id(c.bay_id);
  return w.done();
}

/** Payload bytes → claims, or null when the bytes are not exactly a version-1 payload. */
export function decodeClaims(bytes: Uint8Array): AccessClaims | null {
  try {
    const r = new Reader(bytes);
    if (r.u8() !== ACCESS_TOKEN_VERSION) return null;
    const flags = r.u8();
    if ((flags & ~FLAG_BAY) !== 0) return null;
    const booking_id = r.id();
    const facility_id = r.id();
    const nbf = r.u32();
    const exp = r.u32();
    const count = r.u8();
    if (count === 0 || count > MAX_TOKEN_DOORS) return null;
    const doors: string[] = [];
    for (let i = 0; i < count; i++) doors.push(r.id());
    const bay_id = (flags & FLAG_BAY) !== 0 ? r.id() : null;
    if (!r.finished || exp <= nbf) return null;
    return { v: ACCESS_TOKEN_VERSION, booking_id, facility_id, doors, bay_id, nbf, exp };
  } catch (error) {
    // TextDecoder signals invalid UTF-8 with a TypeError.
    if (error instanceof MalformedPayload || error instanceof TypeError) return null;
    throw error;
  }
}
