import { describe, expect, it } from 'vitest';
import { DomainInputError } from '../model/domain-input.error.js';
import { bytesToHex } from './encoding.js';
import {
  encodeKey,
  generateSigningKeyPair,
  parseKey,
  parsePublicKey,
  publicKeyFromSecretKey,
} from './signing-keys.js';

describe('signing keys', () => {
  const keys = generateSigningKeyPair();

  it('derives the public key from the secret key', () => {
    expect(publicKeyFromSecretKey(keys.secretKey)).toEqual(keys.publicKey);
    expect(generateSigningKeyPair().publicKey).not.toEqual(keys.publicKey);
  });

  it('serialises as hex or base64url and parses every common text form back', () => {
    const hex = encodeKey(keys.publicKey);
    expect(hex).toMatch(/^[0-9a-f]{64}$/);
    const b64url = encodeKey(keys.publicKey, 'base64url');
    expect(b64url).toHaveLength(43);
    const standard = btoa(String.fromCharCode(...keys.publicKey));
    for (const text of [hex, hex.toUpperCase(), b64url, standard, ` ${hex}\n`]) {
      expect(parsePublicKey(text, 'ACCESS_TOKEN_PUBLIC_KEY')).toEqual(keys.publicKey);
    }
    expect(parseKey(encodeKey(keys.secretKey), 'ACCESS_TOKEN_SECRET_KEY')).toEqual(keys.secretKey);
  });

  it('names the setting but never echoes a bad key', () => {
    const secretish = 'abcd'.repeat(15);
    try {
      parseKey(secretish, 'ACCESS_TOKEN_SECRET_KEY');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainInputError);
      expect((error as DomainInputError).field).toBe('ACCESS_TOKEN_SECRET_KEY');
      expect((error as Error).message).not.toContain(secretish);
    }
  });

  it('refuses 32 bytes that are not a point on the curve', () => {
    // y = 2^255 - 1 is not a canonical field element, so no valid public key encodes it.
    const notAPoint = bytesToHex(Uint8Array.from({ length: 32 }, (_, i) => (i === 31 ? 0x7f : 0xff)));
    expect(() => parsePublicKey(notAPoint, 'ACCESS_TOKEN_PUBLIC_KEY')).toThrow(
      'ACCESS_TOKEN_PUBLIC_KEY: is not a valid Ed25519 public key',
    );
    expect(parseKey(notAPoint, 'k')).toHaveLength(32);
  });

  it('refuses a small-order key, under which a trivial signature would verify anything', () => {
    const identity = bytesToHex(Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 1 : 0)));
    expect(() => parsePublicKey(identity, 'ACCESS_TOKEN_PUBLIC_KEY')).toThrow('small-order');
  });
});
