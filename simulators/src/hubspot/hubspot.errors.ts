import { randomUUID } from 'node:crypto';

/**
 * HubSpot's error envelope. The SDK keeps the whole body on `ApiException.body`, and its retry
 * decorator reads `policyName` and `message` from it, so these must match what HubSpot sends.
 */
export type HubspotErrorCategory =
  | 'VALIDATION_ERROR'
  | 'OBJECT_NOT_FOUND'
  | 'CONFLICT'
  | 'OBJECT_ALREADY_EXISTS'
  | 'RATE_LIMITS'
  | 'INVALID_AUTHENTICATION'
  | 'INTERNAL_ERROR'
  | 'SERVICE_UNAVAILABLE';

export interface HubspotErrorDetail {
  message: string;
  code?: string;
  in?: string;
  context?: Record<string, string[]>;
}

export interface HubspotErrorExtra {
  errors?: HubspotErrorDetail[];
  context?: Record<string, string[]>;
  policyName?: string;
  errorType?: string;
  subCategory?: string;
}

export interface HubspotErrorBody extends HubspotErrorExtra {
  status: 'error';
  message: string;
  correlationId: string;
  category: HubspotErrorCategory;
}

export function hubspotErrorBody(
  category: HubspotErrorCategory,
  message: string,
  extra: HubspotErrorExtra = {},
): HubspotErrorBody {
  return { status: 'error', message, correlationId: randomUUID(), category, ...extra };
}

/** Thrown by route handlers and hooks; the simulator's error handler turns it into the envelope. */
export class HubspotApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly category: HubspotErrorCategory,
    message: string,
    readonly extra: HubspotErrorExtra = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HubspotApiError';
  }

  body(): HubspotErrorBody {
    return hubspotErrorBody(this.category, this.message, this.extra);
  }
}

export const validationError = (message: string, errors?: HubspotErrorDetail[]): HubspotApiError =>
  new HubspotApiError(400, 'VALIDATION_ERROR', message, errors ? { errors } : {});

export const notFound = (message: string, context?: Record<string, string[]>): HubspotApiError =>
  new HubspotApiError(404, 'OBJECT_NOT_FOUND', message, context ? { context } : {});

/** Messages HubSpot uses; the SDK's retry decorator compares the secondly one verbatim. */
export const RATE_LIMIT_MESSAGES = {
  TEN_SECONDLY_ROLLING: 'You have reached your ten_secondly_rolling limit.',
  SECONDLY: 'You have reached your secondly limit.',
  DAILY: 'You have reached your daily limit.',
} as const;

export type RateLimitPolicy = keyof typeof RATE_LIMIT_MESSAGES;

export function rateLimitError(
  policy: RateLimitPolicy,
  headers: Record<string, string> = {},
): HubspotApiError {
  return new HubspotApiError(
    429,
    'RATE_LIMITS',
    RATE_LIMIT_MESSAGES[policy],
    { policyName: policy, errorType: 'RATE_LIMIT' },
    headers,
  );
}

export const AUTHENTICATION_MESSAGE =
  'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview';

export const unauthorized = (): HubspotApiError =>
  new HubspotApiError(401, 'INVALID_AUTHENTICATION', AUTHENTICATION_MESSAGE);
