/**
 * The one catalogue of error codes that the cloud's /api/v1 and the edge's LAN API answer with, and
 * the HTTP status each maps to. Services throw `DomainError`s carrying a code; only the HTTP layer
 * (`toErrorResponse`) turns a code into a status. Clients branch on `code`, never on the message.
 */
export const ERROR_STATUS = {
  /** A field or header is malformed or out of range; `field` names it. */
  VALIDATION_FAILED: 400,
  /** The request line or body could not be read as the route expects (a framework-level 400). */
  BAD_REQUEST: 400,
  INVALID_CREDENTIALS: 401,
  UNAUTHORIZED: 401,
  INVALID_TOKEN: 401,
  /** An access token issued before the password changed or the account was deactivated. */
  TOKEN_REVOKED: 401,
  FORBIDDEN: 403,
  /** The account must choose a new password first. */
  PASSWORD_CHANGE_REQUIRED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  /** The slot is taken or not sellable; a booking refusal carries `alternatives`. */
  SLOT_UNAVAILABLE: 409,
  /** The bay is closed or in maintenance. */
  BAY_UNAVAILABLE: 409,
  CONFLICT: 409,
  /** The booking (or other record) is in a state that does not allow this change. */
  INVALID_STATE: 409,
  EMAIL_TAKEN: 409,
  HOLD_EXPIRED: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** The same Idempotency-Key was sent before with a different request. */
  IDEMPOTENCY_KEY_REUSED: 422,
  /** The time asked for is outside the venue's opening hours. */
  OUTSIDE_HOURS: 422,
  UNPROCESSABLE: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  /** A dependency this answer needs is not there yet (the edge before its first sync). */
  NOT_READY: 503,
  /** The instance is shedding load (event loop, heap or database queue past its threshold); retry after `Retry-After`. */
  OVERLOADED: 503,
  /** An outside service (HubSpot, Stripe, SMTP, Twilio) is failing and its circuit breaker is open. */
  DEPENDENCY_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_STATUS, value);
}
