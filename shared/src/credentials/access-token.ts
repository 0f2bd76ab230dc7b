import { ed25519 } from '@noble/curves/ed25519.js';
import { DomainInputError } from '../model/domain-input.error.js';
import { type AccessClaims, canonicalId } from './access-claims.js';
import { decodeClaims, encodeClaims } from './access-token.codec.js';
import { base64UrlDecode, base64UrlEncode } from './encoding.js';
import { assertKeyBytes } from './signing-keys.js';

/**
 * The door QR token: `CB1.<base64url payload>.<base64url Ed25519 signature>`. The signature covers
 * the ASCII text `CB1.<payload>`, so the prefix (format version) is signed too.
 */
export const ACCESS_TOKEN_PREFIX = 'CB1';
/** Far above a real token (~200 chars): bounds the work an arbitrary scan can cause. */
export const MAX_ACCESS_TOKEN_LENGTH = 1024;
const SIGNATURE_BYTES = 64;

const ascii = new TextEncoder();

/**
 * Ed25519 signature of `message` with the same secret key, by a faster native implementation
 * (the cloud passes Node's OpenSSL signer: the pure-JS one costs milliseconds per booking).
 * Ed25519 is deterministic, so both give the same token.
 */
export type MessageSigner = (message: Uint8Array) => Uint8Array;

/** Signs claims with the cloud's secret key. Throws `DomainInputError` naming a bad claim. */
export function signAccessToken(claims: AccessClaims, secretKey: Uint8Array, sign?: MessageSigner): string {
  assertKeyBytes(secretKey, 'secretKey');
  const signingInput = `${ACCESS_TOKEN_PREFIX}.${base64UrlEncode(encodeClaims(claims))}`;
  const message = ascii.encode(signingInput);
  const signature = sign ? sign(message) : ed25519.sign(message, secretKey);
  return `${signingInput}.${base64UrlEncode(signature)}`;
}

export const ACCESS_DENIAL_REASONS = [
  'malformed',
  'forged',
  'expired',
  'not_yet_valid',
  'wrong_facility',
  'wrong_door',
] as const;
export type AccessDenialReason = (typeof ACCESS_DENIAL_REASONS)[number];

export type AccessVerification =
  | { ok: true; claims: AccessClaims }
  /** `claims` is present only once the signature is proven, so an audit row never trusts a forgery. */
  | { ok: false; reason: AccessDenialReason; claims?: AccessClaims };

export interface VerifyAccessTokenOptions {
  publicKey: Uint8Array;
  /** The facility this edge serves. */
  facilityId: string;
  /** The door being opened. */
  door: string;
  /** Epoch milliseconds. */
  now: number;
  /**
   * Replaces the pure-JS Ed25519 check with a faster native one (the edge passes Node's OpenSSL
   * verifier: about ten times faster on the door path). It must be a strict RFC 8032 verifier.
   */
  verifySignature?: SignatureVerifier;
}

/** `(signature, message, publicKey) → valid?`; must not throw for bad input. */
export type SignatureVerifier = (
  signature: Uint8Array,
  message: Uint8Array,
  publicKey: Uint8Array,
) => boolean;

function splitToken(
  token: string,
): { signingInput: string; payload: Uint8Array; signature: Uint8Array } | null {
  if (token.length > MAX_ACCESS_TOKEN_LENGTH) return null;
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== ACCESS_TOKEN_PREFIX) return null;
  const payload = base64UrlDecode(parts[1] as string);
  const signature = base64UrlDecode(parts[2] as string);
  if (
    payload === null ||
    payload.length === 0 ||
    signature === null ||
    signature.length !== SIGNATURE_BYTES
  ) {
    return null;
  }
  return { signingInput: `${parts[0]}.${parts[1]}`, payload, signature };
}

/** Strict RFC 8032 checks (canonical encodings only): a re-encoded signature is not the same token. */
export const nobleVerifier: SignatureVerifier = (signature, message, publicKey) => {
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
};

/**
 * Verifies a scanned token offline. Checks run in this order, so each reason means one thing:
 * malformed (not a token of this format) → forged (signature fails for this key) → wrong_facility
 * → wrong_door → not_yet_valid (now < nbf) → expired (now >= exp). Never throws on token input;
 * throws `DomainInputError` only for a bad key, facility, door or clock passed by the caller.
 */
export function verifyAccessToken(token: string, options: VerifyAccessTokenOptions): AccessVerification {
  assertKeyBytes(options.publicKey, 'publicKey');
  if (!Number.isFinite(options.now)) throw new DomainInputError('now', 'must be an instant in epoch ms');
  if (typeof token !== 'string') return { ok: false, reason: 'malformed' };
  // Keyboard-wedge scanners end the text with a newline.
  const parts = splitToken(token.trim());
  if (parts === null) return { ok: false, reason: 'malformed' };
  const verify = options.verifySignature ?? nobleVerifier;
  if (!verify(parts.signature, ascii.encode(parts.signingInput), options.publicKey))
    return { ok: false, reason: 'forged' };
  const claims = decodeClaims(parts.payload);
  // Signed by our key yet unreadable: only a newer token version could do that.
  if (claims === null) return { ok: false, reason: 'malformed' };
  if (claims.facility_id !== canonicalId(options.facilityId))
    return { ok: false, reason: 'wrong_facility', claims };
  if (!claims.doors.includes(canonicalId(options.door))) return { ok: false, reason: 'wrong_door', claims };
  if (options.now < claims.nbf * 1000) return { ok: false, reason: 'not_yet_valid', claims };
  if (options.now >= claims.exp * 1000) return { ok: false, reason: 'expired', claims };
  return { ok: true, claims };
}

const DENIAL_TEXT: Record<AccessDenialReason, string> = {
  malformed: 'This is not a ClubOS access code.',
  forged: 'This access code was not issued by ClubOS for this venue (its signature does not match).',
  expired: 'This access code has expired.',
  not_yet_valid: 'This access code is not valid yet.',
  wrong_facility: 'This access code is for another venue.',
  wrong_door: 'This access code does not open this door.',
};

/** A sentence for the scanner display, the kiosk and the staff console. */
export function describeAccessDenial(reason: AccessDenialReason): string {
  return DENIAL_TEXT[reason];
}
