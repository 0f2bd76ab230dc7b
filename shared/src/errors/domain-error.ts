import { ERROR_STATUS, type ErrorCode } from './error-codes.js';

export interface DomainErrorOptions {
  /** The request field at fault (`start_time`, `customer.email`, `Idempotency-Key`). */
  field?: string;
  /** Extra top-level members of the error answer (a refused slot's `alternatives`, `opens_at`). */
  extra?: Record<string, unknown>;
}

/**
 * What a service throws when it refuses: a code from the shared catalogue and a message with context
 * ("bay 3 is in maintenance until 18:00"). It knows nothing of HTTP; the app's error handler maps it
 * to `{ error: { code, message, field? }, ...extra }` with the code's status.
 */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly extra: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: DomainErrorOptions = {}) {
    // A refusal is an answer, not a fault: its stack is never logged, and capturing it (await chain
    // included) cost about a tenth of a 409's CPU (docs/performance.md, "Refusals without stacks").
    const limit = Error.stackTraceLimit;
    if (ERROR_STATUS[code] < 500) Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.code = code;
    this.name = 'DomainError';
    this.field = options.field;
    this.extra = options.extra ?? {};
  }
}

export const badRequest = (field: string, message: string) =>
  new DomainError('VALIDATION_FAILED', message, { field });
export const notFound = (what: string, id: string) =>
  new DomainError('NOT_FOUND', `${what} ${id} was not found`);
export const forbidden = (message = 'You may not access this resource') =>
  new DomainError('FORBIDDEN', message);
export const unauthorized = (message = 'Authentication required') => new DomainError('UNAUTHORIZED', message);
export const invalidState = (message: string, extra?: Record<string, unknown>) =>
  new DomainError('INVALID_STATE', message, { field: 'status', ...(extra ? { extra } : {}) });
