import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  bytesToHex,
  generateSigningKeyPair,
  issueAccessToken,
  verifyAccessToken,
} from '@clubos/shared/credentials';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type EdgeDatabase, openDatabase } from '../db/database.js';
import { DOORS, MINUTE, newVenue, putBooking, seedVenue } from '../testing/facility-control.js';
import { tempDir } from '../testing/sync-harness.js';
import {
  fileKeyStore,
  freshPin,
  memoryKeyStore,
  verifyWithTrustedKeys,
  walkInCredentials,
} from './walk-in-credentials.js';

/**
 * The walk-in credential rules, without a server: which key signs, which PIN is free, which doors
 * and which window the credentials carry, and which key a door trusts.
 */
const venue = newVenue();
const T0 = Date.UTC(2026, 5, 1, 18, 0);
let database: EdgeDatabase;
let tmp: ReturnType<typeof tempDir>;

beforeEach(() => {
  database = openDatabase(':memory:');
  seedVenue(database, venue);
  tmp = tempDir('walk-in-keys-');
});
afterEach(() => {
  vi.useRealTimers();
  database.close();
  tmp.cleanup();
});

describe('the walk-in signing key', () => {
  it('in memory: no public key until the first walk-in asks for the pair, then always the same pair', () => {
    const keys = memoryKeyStore();
    expect(keys.publicKey()).toBeNull();
    const pair = keys.keyPair();
    expect(keys.keyPair()).toBe(pair);
    expect(keys.publicKey()).toEqual(pair.publicKey);
  });

  it('in a file: created owner-only on first use as 64 hex digits, read back by a restarted edge', () => {
    const file = path.join(tmp.dir, 'walk-in.key');
    const first = fileKeyStore(file);
    expect(first.publicKey()).toBeNull();
    expect(existsSync(file)).toBe(false);
    const pair = first.keyPair();
    expect(readFileSync(file, 'utf8')).toBe(`${bytesToHex(pair.secretKey)}\n`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.keyPair()).toBe(pair);
    const restarted = fileKeyStore(file);
    expect(restarted.publicKey()).toEqual(pair.publicKey);
    expect(restarted.keyPair().secretKey).toEqual(pair.secretKey);
  });

  it('remembers a missing file for 5 s, then looks again (another process may have created it)', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    const file = path.join(tmp.dir, 'walk-in.key');
    const keys = fileKeyStore(file);
    expect(keys.publicKey()).toBeNull();
    const other = generateSigningKeyPair();
    writeFileSync(file, bytesToHex(other.secretKey));
    vi.setSystemTime(T0 + 4_999);
    expect(keys.publicKey()).toBeNull();
    vi.setSystemTime(T0 + 5_000);
    expect(keys.publicKey()).toEqual(other.publicKey);
  });

  it('never replaces a key another store wrote first: both sign with the one in the file', () => {
    const file = path.join(tmp.dir, 'walk-in.key');
    const a = fileKeyStore(file);
    const b = fileKeyStore(file);
    expect(a.publicKey()).toBeNull();
    const first = b.keyPair();
    expect(a.keyPair().secretKey).toEqual(first.secretKey);
  });

  it('refuses a key file that is not a key rather than signing with garbage', () => {
    const file = path.join(tmp.dir, 'walk-in.key');
    writeFileSync(file, 'not a key\n');
    expect(() => fileKeyStore(file).keyPair()).toThrow();
  });
});

describe('a fresh PIN', () => {
  it('skips a PIN whose holder’s access window overlaps, and takes one whose window only touches', () => {
    // Booked 18:00–19:00: its access window is 17:45–19:15.
    putBooking(database, venue, { start_time: T0, end_time: T0 + 60 * MINUTE, access_code: '111111' });
    putBooking(database, venue, { start_time: T0, end_time: T0 + 60 * MINUTE, access_code: '222222' });
    const offered = ['111111', '222222', '333333'];
    const generate = () => offered.shift()!;
    expect(freshPin(database, { start: T0 + 75 * MINUTE - 1, end: T0 + 3 * 60 * MINUTE }, {}, generate)).toBe(
      '333333',
    );
    // A window starting when theirs ends (19:15) shares no instant with it.
    expect(
      freshPin(database, { start: T0 + 75 * MINUTE, end: T0 + 3 * 60 * MINUTE }, {}, () => '111111'),
    ).toBe('111111');
    // A window ending when theirs starts (17:45) neither.
    expect(freshPin(database, { start: T0 - 60 * MINUTE, end: T0 - 15 * MINUTE }, {}, () => '111111')).toBe(
      '111111',
    );
    expect(freshPin(database, { start: T0 - 60 * MINUTE, end: T0 - 15 * MINUTE + 1 }, {}, generate)).not.toBe(
      '111111',
    );
  });

  it('measures the holders’ windows with the edge’s margins', () => {
    putBooking(database, venue, { start_time: T0, end_time: T0 + 60 * MINUTE, access_code: '111111' });
    const window = { start: T0 + 65 * MINUTE, end: T0 + 2 * 60 * MINUTE };
    expect(freshPin(database, window, { afterMinutes: 5 }, () => '111111')).toBe('111111');
    let calls = 0;
    freshPin(database, window, { afterMinutes: 6 }, () => (++calls === 1 ? '111111' : '444444'));
    expect(calls).toBe(2);
  });
});

describe('the credentials handed to a walk-in', () => {
  it('open the entrance and the bay’s own door, over the access window, and the token says so', () => {
    const booking = putBooking(database, venue, { start_time: T0, end_time: T0 + 60 * MINUTE });
    const keys = memoryKeyStore();
    const input = {
      id: booking.id,
      facility_id: venue.facilityId,
      simulator_id: venue.bays[0]!.id,
      start: T0,
      end: T0 + 60 * MINUTE,
      pin: booking.access_code,
    };
    const creds = walkInCredentials(database, keys, input);
    expect(creds).toMatchObject({
      access_code: booking.access_code,
      doors: [DOORS.front, DOORS.bay1],
      valid_from: T0 - 15 * MINUTE,
      valid_until: T0 + 75 * MINUTE,
    });
    const claimsOf = (token: string) =>
      verifyAccessToken(token, {
        publicKey: keys.publicKey()!,
        facilityId: venue.facilityId,
        door: DOORS.front,
        now: T0,
      }).claims;
    const claims = claimsOf(creds.qr_code);
    expect(claims).toMatchObject({
      booking_id: booking.id,
      facility_id: venue.facilityId,
      doors: [DOORS.front, DOORS.bay1],
      bay_id: venue.bays[0]!.id,
      nbf: (T0 - 15 * MINUTE) / 1000,
      exp: (T0 + 75 * MINUTE) / 1000,
    });
    const verified = verifyWithTrustedKeys(creds.qr_code, [keys.publicKey()], {
      facilityId: venue.facilityId,
      door: DOORS.bay1,
      now: T0,
    });
    expect(verified?.ok).toBe(true);
    // Same booking, same token: Ed25519 is deterministic.
    expect(walkInCredentials(database, keys, input).qr_code).toBe(creds.qr_code);
    const tight = walkInCredentials(database, keys, input, { beforeMinutes: 0, afterMinutes: 5 });
    expect(tight).toMatchObject({ valid_from: T0, valid_until: T0 + 65 * MINUTE });
    expect(claimsOf(tight.qr_code)).toMatchObject({ nbf: T0 / 1000 });
  });

  it('carry the entrance alone for a bay without a door', () => {
    const creds = walkInCredentials(database, memoryKeyStore(), {
      id: crypto.randomUUID(),
      facility_id: venue.facilityId,
      simulator_id: crypto.randomUUID(),
      start: T0,
      end: T0 + 60 * MINUTE,
      pin: '123456',
    });
    expect(creds.doors).toEqual([DOORS.front]);
  });
});

describe('which key a door trusts', () => {
  const token = (secretKey: Uint8Array, start = T0) =>
    issueAccessToken({
      secretKey,
      bookingId: crypto.randomUUID(),
      facilityId: venue.facilityId,
      doors: [DOORS.front],
      start,
      end: start + 60 * MINUTE,
    }).token;
  const at = { facilityId: venue.facilityId, door: DOORS.front, now: T0 };

  it('knows no answer (null) without any key', () => {
    expect(verifyWithTrustedKeys(token(venue.keys.secretKey), [null, undefined], at)).toBeNull();
  });

  it('accepts a token either trusted key signed, skipping absent keys', () => {
    const walkIn = generateSigningKeyPair();
    expect(
      verifyWithTrustedKeys(token(walkIn.secretKey), [null, venue.keys.publicKey, walkIn.publicKey], at)?.ok,
    ).toBe(true);
    expect(
      verifyWithTrustedKeys(token(venue.keys.secretKey), [venue.keys.publicKey, walkIn.publicKey], at)?.ok,
    ).toBe(true);
  });

  it('calls a token forged only when no trusted key signed it, and gives the signer’s word otherwise', () => {
    const walkIn = generateSigningKeyPair();
    const stranger = generateSigningKeyPair();
    expect(
      verifyWithTrustedKeys(token(stranger.secretKey), [venue.keys.publicKey, walkIn.publicKey], at),
    ).toEqual({
      ok: false,
      reason: 'forged',
    });
    // Signed by the first key but not valid yet: that verdict stands, the second key is not asked.
    const early = token(venue.keys.secretKey, T0 + 5 * 60 * MINUTE);
    expect(verifyWithTrustedKeys(early, [venue.keys.publicKey, walkIn.publicKey], at)).toMatchObject({
      ok: false,
      reason: 'not_yet_valid',
    });
  });
});
