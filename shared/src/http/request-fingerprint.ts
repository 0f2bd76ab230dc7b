import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { DomainError } from '../errors/domain-error.js';

/** The longest `Idempotency-Key` either API accepts (the header schema's maxLength). */
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;

/** JSON with object keys sorted and undefined members dropped: one text per meaning. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * What "the same request" means for `Idempotency-Key` on cloud and edge: the SHA-256 of the request's
 * canonical JSON, so `{a,b}` and `{b,a}` are one request and a changed value is another.
 */
export function requestFingerprint(request: unknown): string {
  return bytesToHex(sha256(utf8ToBytes(canonicalJson(request))));
}

/** The header's value, or undefined without one; a 400 naming the header when it is empty or too long. */
export function idempotencyKeyOf(header: string | string[] | undefined): string | undefined {
  const key = Array.isArray(header) ? header[0] : header;
  if (key === undefined) return undefined;
  if (key.length === 0 || key.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `Idempotency-Key must be 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} characters`,
      { field: 'Idempotency-Key' },
    );
  }
  return key;
}

/** The refusal of a key reused for a different request (both APIs answer it alike). */
export function idempotencyKeyReused(): DomainError {
  return new DomainError(
    'IDEMPOTENCY_KEY_REUSED',
    'This Idempotency-Key was already used with a different request; use a new key for a new request',
    { field: 'Idempotency-Key' },
  );
}
