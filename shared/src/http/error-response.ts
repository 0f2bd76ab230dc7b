import { DomainError } from '../errors/domain-error.js';
import { ERROR_STATUS, type ErrorCode } from '../errors/error-codes.js';

/** The one error envelope of both APIs: `{ error: { code, message, field? }, ...extra }`. */
export interface ErrorEnvelope {
  error: { code: ErrorCode; message: string; field?: string };
  [extra: string]: unknown;
}

export interface ErrorResponse {
  status: number;
  body: ErrorEnvelope;
}

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** The parts of a Fastify error this mapping reads (kept structural: this package has no Fastify). */
interface FrameworkError {
  statusCode?: number;
  message: string;
  validation?: ValidationIssue[];
  validationContext?: string;
}

export function errorEnvelope(
  code: ErrorCode,
  message: string,
  field?: string,
  extra: Readonly<Record<string, unknown>> = {},
): ErrorEnvelope {
  return { error: { code, message, ...(field ? { field } : {}) }, ...extra };
}

/** `/customer/email` + missing `phone` → `customer.phone`; the root of a query → `query`. */
export function fieldOf(issue: ValidationIssue, context: string | undefined): string {
  const parts = (issue.instancePath ?? '').split('/').filter(Boolean);
  const params = issue.params ?? {};
  for (const key of ['missingProperty', 'additionalProperty', 'propertyName']) {
    if (typeof params[key] === 'string') parts.push(params[key] as string);
  }
  if (parts.length > 0) return parts.join('.');
  return context === 'querystring' ? 'query' : (context ?? 'body');
}

/** Framework-level client errors (malformed JSON, wrong content type, body too large…). */
const FRAMEWORK_CODES: Readonly<Record<number, ErrorCode>> = {
  400: 'BAD_REQUEST',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

/**
 * The answer to a refused request, or null for an unexpected error (the caller logs it and answers
 * a bare 500, so no internals leak). Domain errors keep their code; schema failures are a 400
 * naming the field; framework 4xx keep their status under a catalogue code.
 */
export function toErrorResponse(error: unknown): ErrorResponse | null {
  if (error instanceof DomainError) {
    return {
      status: ERROR_STATUS[error.code],
      body: errorEnvelope(error.code, error.message, error.field, error.extra),
    };
  }
  if (typeof error !== 'object' || error === null) return null;
  const framework = error as FrameworkError;
  const issue = framework.validation?.[0];
  if (issue !== undefined) {
    const field = fieldOf(issue, framework.validationContext);
    return {
      status: 400,
      body: errorEnvelope('VALIDATION_FAILED', `${field} ${issue.message ?? 'is invalid'}`, field),
    };
  }
  const status = framework.statusCode;
  if (typeof status !== 'number' || status < 400 || status >= 500) return null;
  const code = FRAMEWORK_CODES[status] ?? 'BAD_REQUEST';
  const aboutBody = status === 400 || status === 413 || status === 415;
  return { status, body: errorEnvelope(code, framework.message, aboutBody ? 'body' : undefined) };
}

export const INTERNAL_ERROR: ErrorResponse = {
  status: 500,
  body: errorEnvelope('INTERNAL', 'Internal server error'),
};

export function routeNotFound(method: string, url: string): ErrorResponse {
  return { status: 404, body: errorEnvelope('NOT_FOUND', `Route ${method} ${url} not found`) };
}
