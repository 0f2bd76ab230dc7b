export type { AccessClaims } from './access-claims.js';
export {
  ACCESS_TOKEN_VERSION,
  canonicalId,
  MAX_TOKEN_DOORS,
  MAX_TOKEN_ID_BYTES,
} from './access-claims.js';
export type {
  AccessDenialReason,
  AccessVerification,
  MessageSigner,
  SignatureVerifier,
  VerifyAccessTokenOptions,
} from './access-token.js';
export {
  ACCESS_DENIAL_REASONS,
  ACCESS_TOKEN_PREFIX,
  describeAccessDenial,
  MAX_ACCESS_TOKEN_LENGTH,
  nobleVerifier,
  signAccessToken,
  verifyAccessToken,
} from './access-token.js';
export type { AccessWindowOptions } from './access-window.js';
export { accessWindow, DEFAULT_ACCESS_WINDOW, windowToTokenTimes } from './access-window.js';
export {
  BOOKING_CODE_ALPHABET,
  BOOKING_CODE_LENGTH,
  generateBookingCode,
  normalizeBookingCode,
} from './booking-code.js';
export { base64UrlDecode, base64UrlEncode, bytesToHex, hexToBytes } from './encoding.js';
export type { IssueAccessTokenInput } from './issue-access-token.js';
export { issueAccessToken } from './issue-access-token.js';
export { generatePin, isValidPin, PIN_LENGTH } from './pin.js';
export type { RandomBytes } from './random.js';
export { webRandomBytes } from './random.js';
export type { KeyTextFormat, SigningKeyPair } from './signing-keys.js';
export {
  ED25519_KEY_BYTES,
  encodeKey,
  generateSigningKeyPair,
  parseKey,
  parsePublicKey,
  publicKeyFromSecretKey,
} from './signing-keys.js';
