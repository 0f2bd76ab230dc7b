import { readFileSync, writeFileSync } from 'node:fs';
import {
  type AccessVerification,
  type AccessWindowOptions,
  accessWindow,
  bytesToHex,
  generatePin,
  generateSigningKeyPair,
  issueAccessToken,
  parseKey,
  publicKeyFromSecretKey,
  type SigningKeyPair,
  type VerifyAccessTokenOptions,
  verifyAccessToken,
} from '@clubos/shared/credentials';
import type { EdgeDatabase } from '../db/database.js';
import { bayDoorId, doorBookingsByPin, facilityDoors } from '../doors/door-lookup.repository.js';

/**
 * The key this edge signs walk-in QR tokens with. A walk-in is sold at the venue, often while the
 * cloud (which signs every other booking's token) cannot be reached, so the edge signs its own
 * walk-ins in the same CB1 format, and its door decisions trust this key beside the cloud's. The
 * secret never leaves the edge; the cloud's key never reaches it
 * (docs/decisions/007-offline-door-credentials.md).
 */
export interface WalkInKeyStore {
  /** The public key of the tokens this edge has issued; null while it has issued none. */
  publicKey(): Uint8Array | null;
  /** The key pair, created on first use. */
  keyPair(): SigningKeyPair;
}

/** A key that lives as long as the process (tests, and an edge whose database is in memory). */
export function memoryKeyStore(): WalkInKeyStore {
  let pair: SigningKeyPair | null = null;
  return {
    publicKey: () => pair?.publicKey ?? null,
    keyPair: () => {
      pair ??= generateSigningKeyPair();
      return pair;
    },
  };
}

/**
 * A key kept in a file beside the edge's database (64 hex digits, owner-only), created on the first
 * walk-in: tokens already handed out keep opening doors across restarts.
 */
export function fileKeyStore(file: string): WalkInKeyStore {
  let pair: SigningKeyPair | null = null;
  const read = (): SigningKeyPair | null => {
    if (pair !== null) return pair;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    const secretKey = parseKey(text, file);
    pair = { secretKey, publicKey: publicKeyFromSecretKey(secretKey) };
    return pair;
  };
  // Until the first walk-in creates the key, every QR scan asks for it: the missing file is
  // remembered for a few seconds rather than looked up (and thrown about) on each scan.
  let missingUntil = 0;
  return {
    publicKey: () => {
      if (pair === null && Date.now() < missingUntil) return null;
      const found = read();
      if (found === null) missingUntil = Date.now() + 5_000;
      return found?.publicKey ?? null;
    },
    keyPair: () => {
      const existing = read();
      if (existing !== null) return existing;
      const fresh = generateSigningKeyPair();
      try {
        // `wx`: never overwrite a key another process wrote meanwhile (its tokens are out there).
        writeFileSync(file, `${bytesToHex(fresh.secretKey)}\n`, { flag: 'wx', mode: 0o600 });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        return read() as SigningKeyPair;
      }
      pair = fresh;
      return fresh;
    },
  };
}

/** What the customer is handed after a walk-in: the QR token and the PIN, and when they open doors. */
export interface WalkInCredentials {
  /** CB1 token for the door scanners (the QR code). */
  qr_code: string;
  /** Six-digit door PIN (UniFi keypads and the scanners' keypads). */
  access_code: string;
  doors: string[];
  /** The access window, epoch ms: 15 minutes before the start to 15 minutes after the end. */
  valid_from: number;
  valid_until: number;
}

/**
 * A PIN no other booking holds with an overlapping access window, so a PIN typed at a door names
 * one booking (PINs repeat over time; the door picks by window).
 */
export function freshPin(
  database: EdgeDatabase,
  window: { start: number; end: number },
  options: AccessWindowOptions = {},
  generate: () => string = generatePin,
): string {
  for (;;) {
    const pin = generate();
    const clash = doorBookingsByPin(database.db, pin).some((b) => {
      const other = accessWindow({ start: b.start_time, end: b.end_time }, options);
      return other.start < window.end && window.start < other.end;
    });
    if (!clash) return pin;
  }
}

/**
 * The door credentials of a walk-in: the doors are the ones the cloud would put in its token (the
 * facility's entrance doors plus the bay's door), the window the shared access window. Ed25519 is
 * deterministic, so the same booking always yields the same token.
 */
export function walkInCredentials(
  database: EdgeDatabase,
  keys: WalkInKeyStore,
  booking: { id: string; facility_id: string; simulator_id: string; start: number; end: number; pin: string },
  options: AccessWindowOptions = {},
): WalkInCredentials {
  const bayDoor = bayDoorId(database.db, booking.simulator_id);
  const doors = [...new Set([...facilityDoors(database.db).entranceDoorIds, ...(bayDoor ? [bayDoor] : [])])];
  const { token } = issueAccessToken({
    secretKey: keys.keyPair().secretKey,
    bookingId: booking.id,
    facilityId: booking.facility_id,
    doors: doors.slice(0, 8),
    bayId: booking.simulator_id,
    start: booking.start,
    end: booking.end,
    window: options,
  });
  const window = accessWindow({ start: booking.start, end: booking.end }, options);
  return {
    qr_code: token,
    access_code: booking.pin,
    doors: doors.slice(0, 8),
    valid_from: window.start,
    valid_until: window.end,
  };
}

/**
 * Verifies a door token against every key this edge trusts (the cloud's, then its own walk-in
 * key): a token another key did not sign is `forged` only if none of them signed it.
 */
export function verifyWithTrustedKeys(
  token: string,
  keys: readonly (Uint8Array | null | undefined)[],
  options: Omit<VerifyAccessTokenOptions, 'publicKey'>,
): AccessVerification | null {
  let result: AccessVerification | null = null;
  for (const publicKey of keys) {
    if (publicKey === null || publicKey === undefined) continue;
    result = verifyAccessToken(token, { ...options, publicKey });
    if (result.ok || result.reason !== 'forged') return result;
  }
  return result;
}
