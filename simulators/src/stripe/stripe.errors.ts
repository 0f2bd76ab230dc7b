/**
 * Stripe's error body `{error: {type, code, decline_code, message, param, doc_url, …}}` and the
 * status that goes with it. stripe-node ≥ v21 picks its error class by status and ≤ v20 by type,
 * so every helper here sends a consistent pair (402 + card_error, 404 + invalid_request_error…).
 */
export type StripeErrorType = 'invalid_request_error' | 'card_error' | 'api_error' | 'idempotency_error';

export interface StripeErrorFields {
  code?: string;
  decline_code?: string;
  param?: string;
  /** A card error on a PaymentIntent carries the whole PaymentIntent (and its charge id). */
  payment_intent?: unknown;
  setup_intent?: unknown;
  payment_method?: unknown;
  charge?: string;
}

export class StripeApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly type: StripeErrorType,
    message: string,
    readonly fields: StripeErrorFields = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'StripeApiError';
  }

  /** The `error` object as Stripe sends it, also stored as a PaymentIntent's `last_payment_error`. */
  errorObject(): Record<string, unknown> {
    const { code, decline_code, param, ...objects } = this.fields;
    return {
      ...(code ? { code, doc_url: `https://stripe.com/docs/error-codes/${code.replaceAll('_', '-')}` } : {}),
      ...(decline_code ? { decline_code } : {}),
      message: this.message,
      ...(param ? { param } : {}),
      ...objects,
      type: this.type,
    };
  }

  body(): { error: Record<string, unknown> } {
    return { error: this.errorObject() };
  }
}

export const invalidRequest = (message: string, param?: string, code?: string): StripeApiError =>
  new StripeApiError(400, 'invalid_request_error', message, { param, code });

export const resourceMissing = (objectName: string, id: string, param = 'id'): StripeApiError =>
  new StripeApiError(404, 'invalid_request_error', `No such ${objectName}: '${id}'`, {
    code: 'resource_missing',
    param,
  });

export const unexpectedState = (code: string, message: string): StripeApiError =>
  new StripeApiError(400, 'invalid_request_error', message, { code });

/** 401 for a missing or wrong secret key; the key is masked as Stripe masks it. */
export function authenticationError(key: string | null): StripeApiError {
  const message =
    key === null
      ? "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY')."
      : `Invalid API Key provided: ${key.length > 12 ? `${key.slice(0, 8)}${'*'.repeat(12)}${key.slice(-4)}` : key}`;
  return new StripeApiError(401, 'invalid_request_error', message);
}

export const apiError = (status = 500, headers: Record<string, string> = {}): StripeApiError =>
  new StripeApiError(
    status,
    'api_error',
    'An unknown error occurred. If this problem persists, please contact support.',
    {},
    headers,
  );

export const rateLimited = (headers: Record<string, string> = {}): StripeApiError =>
  new StripeApiError(
    429,
    'invalid_request_error',
    'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
    { code: 'rate_limit' },
    headers,
  );

export function unrecognizedUrl(method: string, path: string): StripeApiError {
  return new StripeApiError(
    404,
    'invalid_request_error',
    `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
  );
}
