import { type Static, Type } from '@sinclair/typebox';
import { IsoInstantSchema, UuidSchema } from '../schema/index.js';
import { Nullable } from './common.schema.js';

/** Card on file and no-show fees (`/api/v1/customers/me/card…`, `/api/v1/admin/facilities/:id/no-show-fees`). */
const strict = { additionalProperties: false } as const;
const ReturnUrl = Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 2000 });

export const CardConsentQuerySchema = Type.Object({ facility_id: UuidSchema }, strict);

export const CardConsentSchema = Type.Object({
  consent_text: Type.String(),
  /** The facility's policy asks for a card on file (a no-show fee): the site offers the step. */
  card_on_file_required: Type.Boolean(),
});

export const CardSetupBodySchema = Type.Object(
  {
    facility_id: UuidSchema,
    /** Stripe's card page comes back here. */
    return_url: ReturnUrl,
    /** The customer accepted `consent_text` (GET /customers/me/card/consent). */
    accept_consent: Type.Boolean(),
  },
  strict,
);
export type CardSetupBody = Static<typeof CardSetupBodySchema>;

export const CardSetupResponseSchema = Type.Object({
  checkout_url: Type.String(),
  consent_text: Type.String(),
});

export const SavedCardStatusSchema = Type.Object({
  has_card: Type.Boolean(),
  consent_text: Nullable(Type.String()),
  consented_at: Nullable(IsoInstantSchema),
});

export const NoShowFeeStatusSchema = Type.Union([
  Type.Literal('pending'),
  Type.Literal('succeeded'),
  Type.Literal('failed'),
  Type.Literal('no_card'),
]);

export const NoShowFeesQuerySchema = Type.Object({ status: Type.Optional(NoShowFeeStatusSchema) }, strict);

export const NoShowFeeSchema = Type.Object({
  booking_id: UuidSchema,
  amount_cents: Type.Integer(),
  currency: Type.String(),
  status: Type.String(),
  failure_code: Nullable(Type.String()),
  failure_message: Nullable(Type.String()),
  attempts: Type.Integer(),
  created_at: IsoInstantSchema,
  updated_at: IsoInstantSchema,
});

export const NoShowFeeListSchema = Type.Object({ fees: Type.Array(NoShowFeeSchema) });
