import { type TSchema, Type } from '@sinclair/typebox';
import { PHONE_INPUT_PATTERN, STRICT_EMAIL_PATTERN } from '../contact/patterns.js';

/**
 * Building blocks of the `/api/v1` schemas. Patterns instead of `format` so the same schemas work
 * with TypeBox's `Value` in the browser apps and with Fastify's Ajv on the server.
 */
/** The one address rule (`@clubos/shared/contact`), so schemas and code never disagree. */
export const EMAIL_PATTERN = STRICT_EMAIL_PATTERN;
export const LOCAL_DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';

export const EmailSchema = Type.String({ pattern: EMAIL_PATTERN, maxLength: 255, title: 'email address' });
/** A phone as typed; normalised to E.164 (and checked against its numbering plan) by `checkContact`. */
export const PhoneInputSchema = Type.String({
  pattern: PHONE_INPUT_PATTERN,
  maxLength: 30,
  title: 'phone number',
});
export const LocalDateSchema = Type.String({ pattern: LOCAL_DATE_PATTERN, title: 'date YYYY-MM-DD' });
/** IANA zone name such as America/Toronto; validity is checked by the time module. */
export const TimeZoneSchema = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_+\\-/]+$' });
/** Booking length in minutes: whole minutes, at least 15, at most 12 hours. */
export const DurationSchema = Type.Integer({ minimum: 15, maximum: 720 });
/** An `Idempotency-Key` header value (docs/decisions/003-idempotency-keys.md). */
export const IdempotencyKeySchema = Type.String({ minLength: 1, maxLength: 255 });

/** Every error answer: `{ error: { code, message, field? } }` (a 409 adds `alternatives`). */
export const ErrorBodySchema = Type.Object({
  code: Type.String(),
  message: Type.String(),
  field: Type.Optional(Type.String()),
});

export const ErrorResponseSchema = Type.Object({ error: ErrorBodySchema }, { additionalProperties: true });

/** Responses every route may give, merged into each route's `response` map. */
export const StandardErrors = {
  400: ErrorResponseSchema,
  401: ErrorResponseSchema,
  403: ErrorResponseSchema,
  404: ErrorResponseSchema,
  429: ErrorResponseSchema,
} as const;

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const OkResponseSchema = Type.Object({ ok: Type.Literal(true) });
