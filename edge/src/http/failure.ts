import { isAxiosError } from 'axios';

/**
 * What a caller needs to decide after a failed call to an external system:
 * - `auth`: credentials are wrong or expired (fix configuration or refresh; retrying as-is is useless)
 * - `forbidden`: the credentials lack a permission, or the system refuses the operation
 * - `not_found`, `invalid`: our request is wrong; retrying it will not help
 * - `rate_limited`: retry later, after `retryAfterMs` when the server said so
 * - `unavailable`: 5xx, timeout, connection refused/reset; retry with backoff
 */
export type FailureKind = 'auth' | 'forbidden' | 'not_found' | 'rate_limited' | 'invalid' | 'unavailable';

export const RETRYABLE_KINDS: ReadonlySet<FailureKind> = new Set(['rate_limited', 'unavailable']);

export function kindForStatus(status: number): FailureKind {
  if (status === 401) return 'auth';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status >= 500 || status === 408) return 'unavailable';
  return 'invalid';
}

/** `Retry-After` as delta-seconds or an HTTP date, in milliseconds from `now`; undefined when absent/garbled. */
export function parseRetryAfter(value: unknown, now: number = Date.now()): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const TLS_VERIFY_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * A failure before any HTTP answer. Refused, reset, DNS and timeouts are `unavailable` (retry);
 * a certificate that does not verify is `auth`: the server failed to prove who it is, and retrying
 * will not change that (re-pin the certificate after checking why it changed).
 */
export function classifyTransportError(error: unknown): { kind: FailureKind; message: string } | null {
  if (!isAxiosError(error) || error.response) return null;
  const code = error.code ?? '';
  const message = `${code || 'network error'}: ${error.message}`;
  return { kind: TLS_VERIFY_CODES.has(code) ? 'auth' : 'unavailable', message };
}
