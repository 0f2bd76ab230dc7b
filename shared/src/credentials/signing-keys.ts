import { ed25519 } from '@noble/curves/ed25519.js';
import { DomainInputError } from '../model/domain-input.error.js';
import { base64AnyDecode, base64UrlEncode, bytesToHex, hexToBytes } from './encoding.js';
import { type RandomBytes, webRandomBytes } from './random.js';

/**
 * Ed25519 keys for access tokens: the cloud holds the 32-byte secret key (seed) and signs; every
 * edge holds the 32-byte public key and verifies offline. Both travel as text in configuration.
 */
export const ED25519_KEY_BYTES = 32;

export interface SigningKeyPair {
  secretKey: Uint8Array;
  publicKey: Uint8Array;
}

export function generateSigningKeyPair(random: RandomBytes = webRandomBytes): SigningKeyPair {
  const secretKey = random(ED25519_KEY_BYTES);
  return { secretKey, publicKey: ed25519.getPublicKey(secretKey) };
}

export function publicKeyFromSecretKey(secretKey: Uint8Array): Uint8Array {
  assertKeyBytes(secretKey, 'secretKey');
  return ed25519.getPublicKey(secretKey);
}

export type KeyTextFormat = 'hex' | 'base64url';

export function encodeKey(key: Uint8Array, format: KeyTextFormat = 'hex'): string {
  assertKeyBytes(key, 'key');
  return format === 'hex' ? bytesToHex(key) : base64UrlEncode(key);
}

/**
 * A key from configuration text: 64 hex digits, or base64 / base64url (padded or not).
 * `field` names the setting (e.g. `ACCESS_TOKEN_PUBLIC_KEY`) in the error, never the value: it may be secret.
 */
export function parseKey(text: string, field: string): Uint8Array {
  const trimmed = text.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(trimmed) ? hexToBytes(trimmed) : base64AnyDecode(trimmed);
  if (bytes === null || bytes.length !== ED25519_KEY_BYTES) {
    throw new DomainInputError(field, 'must be a 32-byte Ed25519 key as 64 hex digits or base64');
  }
  return bytes;
}

/**
 * Parses a public key and checks that it is a canonically encoded point on the curve (the strict
 * RFC 8032 rule `verifyAccessToken` applies), so a typo fails at start-up instead of at the door.
 */
export function parsePublicKey(text: string, field: string): Uint8Array {
  const key = parseKey(text, field);
  if (!ed25519.utils.isValidPublicKey(key, false)) {
    throw new DomainInputError(field, 'is not a valid Ed25519 public key');
  }
  // A small-order key (e.g. the identity point) has no secret behind it: under lenient ZIP-215
  // rules a trivial signature verifies for every message. Refuse it outright.
  if (ed25519.Point.fromBytes(key, false).isSmallOrder()) {
    throw new DomainInputError(field, 'is a small-order point, not a usable Ed25519 public key');
  }
  return key;
}

export function assertKeyBytes(key: Uint8Array, field: string): void {
  if (!(key instanceof Uint8Array) || key.length !== ED25519_KEY_BYTES) {
    throw new DomainInputError(field, `must be ${ED25519_KEY_BYTES} bytes`);
  }
}
