import {
  generateSigningKeyPair,
  nobleVerifier,
  signAccessToken,
  verifyAccessToken,
} from '@clubos/shared/credentials';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createNativeSignatureVerifier } from './native-signature.verifier.js';

const facility = '11111111-1111-4111-8111-111111111111';
const door = '22222222-2222-4222-8222-222222222222';
const claims = {
  v: 1 as const,
  booking_id: '33333333-3333-4333-8333-333333333333',
  facility_id: facility,
  doors: [door],
  bay_id: null,
  nbf: 1_700_000_000,
  exp: 1_700_003_600,
};

describe('native Ed25519 verifier', () => {
  const keys = generateSigningKeyPair();
  const other = generateSigningKeyPair();
  const native = createNativeSignatureVerifier();
  const token = signAccessToken(claims, keys.secretKey);
  const options = { publicKey: keys.publicKey, facilityId: facility, door, now: 1_700_000_100_000 };

  it('accepts a token signed by the key and refuses one signed by another', () => {
    expect(verifyAccessToken(token, { ...options, verifySignature: native }).ok).toBe(true);
    const forged = signAccessToken(claims, other.secretKey);
    expect(verifyAccessToken(forged, { ...options, verifySignature: native })).toMatchObject({
      ok: false,
      reason: 'forged',
    });
  });

  it('agrees with the pure-JS verifier on every single-character change to the token', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    fc.assert(
      fc.property(fc.nat(token.length - 1), fc.nat(alphabet.length - 1), (at, pick) => {
        const changed = token.slice(0, at) + alphabet[pick] + token.slice(at + 1);
        const pure = verifyAccessToken(changed, { ...options, verifySignature: nobleVerifier });
        const fast = verifyAccessToken(changed, { ...options, verifySignature: native });
        expect(fast.ok).toBe(pure.ok);
        if (!fast.ok && !pure.ok) expect(fast.reason).toBe(pure.reason);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on a signature or key of the wrong length', () => {
    expect(native(new Uint8Array(10), new Uint8Array(5), keys.publicKey)).toBe(false);
    expect(native(new Uint8Array(64), new Uint8Array(5), new Uint8Array(31))).toBe(false);
  });
});
