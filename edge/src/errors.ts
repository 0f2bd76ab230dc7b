/**
 * The edge's catalogue of coded errors. Services throw these; the LAN API's error handler maps them
 * to their status with `{ error: code, message, ...details }`. Anything else is a 500 with no detail.
 */
export type EdgeErrorCode =
  | 'INVALID_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'SLOT_TAKEN'
  | 'OUTSIDE_HOURS'
  | 'BAY_UNAVAILABLE'
  | 'NOT_CHECKABLE'
  | 'IDEMPOTENCY_MISMATCH'
  | 'NOT_READY';

const STATUS: Record<EdgeErrorCode, number> = {
  INVALID_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  SLOT_TAKEN: 409,
  OUTSIDE_HOURS: 422,
  BAY_UNAVAILABLE: 409,
  NOT_CHECKABLE: 409,
  IDEMPOTENCY_MISMATCH: 422,
  NOT_READY: 503,
};

export class EdgeError extends Error {
  readonly statusCode: number;

  constructor(
    readonly code: EdgeErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'EdgeError';
    this.statusCode = STATUS[code];
  }
}
