/**
 * The cloud's catalogue of coded errors. Services throw these; the one error handler
 * (`error-handler.plugin.ts`) turns them into `{ error: { code, message, field? }, ...extra }`.
 * Messages carry context ("bay 3 is in maintenance until 18:00"), never just "invalid request".
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: 400,
  INVALID_CREDENTIALS: 401,
  UNAUTHORIZED: 401,
  INVALID_TOKEN: 401,
  /** An access token issued before the password changed or the account was deactivated (auth.plugin.ts). */
  TOKEN_REVOKED: 401,
  FORBIDDEN: 403,
  /** The account must choose a new password first (auth.plugin.ts). */
  PASSWORD_CHANGE_REQUIRED: 403,
  NOT_FOUND: 404,
  SLOT_UNAVAILABLE: 409,
  CONFLICT: 409,
  INVALID_STATE: 409,
  EMAIL_TAKEN: 409,
  HOLD_EXPIRED: 410,
  IDEMPOTENCY_KEY_REUSED: 422,
  UNPROCESSABLE: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  readonly statusCode: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: { field?: string; extra?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.statusCode = ERROR_CODES[code];
  }

  get field(): string | undefined {
    return this.options.field;
  }
}

export const badRequest = (field: string, message: string) =>
  new AppError('VALIDATION_FAILED', message, { field });
export const notFound = (what: string, id: string) =>
  new AppError('NOT_FOUND', `${what} ${id} was not found`);
export const forbidden = (message = 'You may not access this resource') => new AppError('FORBIDDEN', message);
export const unauthorized = (message = 'Authentication required') => new AppError('UNAUTHORIZED', message);
