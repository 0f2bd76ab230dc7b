import { ed25519 } from '@noble/curves/ed25519.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainInputError } from '../model/domain-input.error.js';
import type { AccessClaims } from './access-claims.js';
import {
  ACCESS_DENIAL_REASONS,
  describeAccessDenial,
  signAccessToken,
  verifyAccessToken,
} from './access-token.js';
import { base64UrlDecode, base64UrlEncode } from './encoding.js';
import { generateSigningKeyPair } from './signing-keys.js';

const FACILITY = '3f2c9a1e-8b7d-4c6e-9f10-1a2b3c4d5e6f';
const BOOKING = 'b0c1d2e3-f405-4617-8829-3a4b5c6d7e8f';
const BAY = '0d9e8f7a-6b5c-4d3e-8f21-0a1b2c3d4e5f';
const NBF = 1_754_230_500; // 2025-08-03T14:15:00Z
const EXP = NBF + 90 * 60;

const keys = generateSigningKeyPair();
const claims: AccessClaims = {
  v: 1,
  booking_id: BOOKING,
  facility_id: FACILITY,
  doors: ['front', BAY],
  bay_id: BAY,
  nbf: NBF,
  exp: EXP,
};
const token = signAccessToken(claims, keys.secretKey);
const inside = NBF * 1000 + 60_000;
const verify = (t: string, overrides: Partial<{ facilityId: string; door: string; now: number }> = {}) =>
  verifyAccessToken(t, {
    publicKey: keys.publicKey,
    facilityId: FACILITY,
    door: 'front',
    now: inside,
    ...overrides,
  });

describe('access token round trip', () => {
  it('verifies a token it signed and returns the claims', () => {
    expect(token.startsWith('CB1.')).toBe(true);
    expect(token.split('.')).toHaveLength(3);
    expect(verify(token)).toEqual({ ok: true, claims });
    expect(verify(token, { door: BAY }).ok).toBe(true);
  });

  it('stays small enough for a quick QR scan', () => {
    // Two doors (one text id, one UUID) plus a bay: 4 + 131 + 1 + 86 characters.
    expect(token.length).toBeLessThan(230);
  });

  it('round-trips any valid claims (property)', () => {
    const id = fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 30, unit: 'grapheme' }));
    const claimsArb = fc
      .record({
        booking_id: id,
        facility_id: fc.uuid(),
        doors: fc.uniqueArray(id, { minLength: 1, maxLength: 8 }),
        bay_id: fc.option(id, { nil: null }),
        nbf: fc.integer({ min: 0, max: 2 ** 32 - 2 }),
        span: fc.integer({ min: 1, max: 86_400 }),
      })
      .filter((c) => c.nbf + c.span <= 2 ** 32 - 1);
    fc.assert(
      fc.property(claimsArb, ({ span, ...c }) => {
        const input: AccessClaims = { v: 1, ...c, exp: c.nbf + span };
        const result = verifyAccessToken(signAccessToken(input, keys.secretKey), {
          publicKey: keys.publicKey,
          facilityId: c.facility_id,
          door: c.doors[0]!,
          now: c.nbf * 1000,
        });
        expect(result).toEqual({ ok: true, claims: input });
      }),
      { numRuns: 200 },
    );
  });

  it('compares UUIDs case-insensitively and forgives a scanner newline', () => {
    expect(verify(`${token}\r\n`, { facilityId: FACILITY.toUpperCase(), door: BAY.toUpperCase() }).ok).toBe(
      true,
    );
  });
});

describe('access token refusals', () => {
  it('gives a distinct reason for each way a token fails', () => {
    expect(verify('hello')).toEqual({ ok: false, reason: 'malformed' });
    expect(verify(token.replace('CB1.', 'CB2.'))).toEqual({ ok: false, reason: 'malformed' });
    expect(verify(`${token}.x`)).toEqual({ ok: false, reason: 'malformed' });
    expect(verify(token.slice(0, -2))).toEqual({ ok: false, reason: 'malformed' });
    expect(verify(token, { facilityId: 'a1a1a1a1-0000-4000-8000-000000000000' })).toMatchObject({
      ok: false,
      reason: 'wrong_facility',
    });
    expect(verify(token, { door: 'back' })).toMatchObject({ ok: false, reason: 'wrong_door', claims });
    expect(verify(token, { now: NBF * 1000 - 1 })).toMatchObject({ ok: false, reason: 'not_yet_valid' });
    expect(verify(token, { now: EXP * 1000 })).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('treats non-text input as malformed and explains every reason differently', () => {
    expect(verify(undefined as unknown as string)).toEqual({ ok: false, reason: 'malformed' });
    expect(verify('x'.repeat(2000))).toEqual({ ok: false, reason: 'malformed' });
    const sentences = ACCESS_DENIAL_REASONS.map(describeAccessDenial);
    expect(new Set(sentences).size).toBe(ACCESS_DENIAL_REASONS.length);
    expect(describeAccessDenial('wrong_door')).toBe('This access code does not open this door.');
  });

  it('defines the time edges: valid from nbf inclusive to exp exclusive', () => {
    expect(verify(token, { now: NBF * 1000 - 1 }).ok).toBe(false);
    expect(verify(token, { now: NBF * 1000 }).ok).toBe(true);
    expect(verify(token, { now: EXP * 1000 - 1 }).ok).toBe(true);
    expect(verify(token, { now: EXP * 1000 }).ok).toBe(false);
  });

  it('calls a token signed by another key forged and does not trust its claims', () => {
    const other = generateSigningKeyPair();
    const foreign = signAccessToken(claims, other.secretKey);
    expect(verify(foreign)).toEqual({ ok: false, reason: 'forged' });
  });

  it('never accepts a token with any single character changed (property)', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.= ';
    fc.assert(
      fc.property(fc.nat(token.length - 1), fc.constantFrom(...alphabet), (at, ch) => {
        fc.pre(token[at] !== ch);
        const changed = token.slice(0, at) + ch + token.slice(at + 1);
        const result = verify(changed);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(['malformed', 'forged']).toContain(result.reason);
      }),
      { numRuns: 400 },
    );
  });

  it('never accepts a token with any single byte of payload or signature changed (property)', () => {
    const [prefix, payloadText, signatureText] = token.split('.') as [string, string, string];
    const payload = base64UrlDecode(payloadText)!;
    const signature = base64UrlDecode(signatureText)!;
    const bytesArb = fc.record({
      part: fc.constantFrom('payload', 'signature'),
      at: fc.nat(),
      xor: fc.integer({ min: 1, max: 255 }),
    });
    fc.assert(
      fc.property(bytesArb, ({ part, at, xor }) => {
        const target = Uint8Array.from(part === 'payload' ? payload : signature);
        target[at % target.length]! ^= xor;
        const changed =
          part === 'payload'
            ? `${prefix}.${base64UrlEncode(target)}.${signatureText}`
            : `${prefix}.${payloadText}.${base64UrlEncode(target)}`;
        const result = verify(changed);
        expect(result).toEqual({ ok: false, reason: 'forged' });
      }),
      { numRuns: 400 },
    );
  });

  it('verifies strictly: a trivial signature does not pass even under a small-order key', () => {
    // R = identity, S = 0 satisfies the lenient ZIP-215 equation for the identity key and any message.
    const identityKey = Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 1 : 0));
    const trivial = Uint8Array.from({ length: 64 }, (_, i) => (i === 0 ? 1 : 0));
    const [prefix, payloadText] = token.split('.') as [string, string, string];
    const crafted = `${prefix}.${payloadText}.${base64UrlEncode(trivial)}`;
    expect(
      verifyAccessToken(crafted, {
        publicKey: identityKey,
        facilityId: FACILITY,
        door: 'front',
        now: inside,
      }),
    ).toEqual({
      ok: false,
      reason: 'forged',
    });
  });

  it('refuses a payload with trailing bytes even when correctly signed', () => {
    const [, payloadText] = token.split('.') as [string, string, string];
    const padded = base64UrlEncode(Uint8Array.from([...base64UrlDecode(payloadText)!, 0]));
    const input = `CB1.${padded}`;
    const signature = ed25519.sign(new TextEncoder().encode(input), keys.secretKey);
    expect(verify(`${input}.${base64UrlEncode(signature)}`)).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('signing bad claims', () => {
  const bad = (patch: Partial<AccessClaims>) => () =>
    signAccessToken({ ...claims, ...patch }, keys.secretKey);

  it('names the claim that is wrong', () => {
    expect(bad({ exp: NBF })).toThrow('exp: must be after nbf');
    expect(bad({ doors: [] })).toThrow('doors: must list 1 to 8 door ids');
    expect(bad({ doors: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] })).toThrow('doors:');
    expect(bad({ doors: ['front', 'front'] })).toThrow('doors: must not repeat a door');
    expect(bad({ doors: ['x'.repeat(129)] })).toThrow('doors[0]: must be at most 128 bytes');
    expect(bad({ booking_id: '' })).toThrow(DomainInputError);
    expect(bad({ nbf: -1 })).toThrow('nbf:');
    expect(bad({ exp: 2 ** 32 })).toThrow('exp:');
    expect(() => signAccessToken(claims, new Uint8Array(16))).toThrow('secretKey: must be 32 bytes');
  });
});
