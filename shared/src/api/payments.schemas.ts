import { type Static, Type } from '@sinclair/typebox';
import { IsoInstantSchema, UuidSchema } from '../schema/index.js';
import { BookingSchema } from './booking.schema.js';
import { Nullable } from './common.schema.js';

/**
 * Payments API: the per-facility payment policy (`/api/v1/admin/facilities/:id/payment-policy`)
 * and the Stripe webhook answer. Amounts are integer minor units of the policy's currency.
 */
const strict = { additionalProperties: false } as const;
const Cents = (minimum: number) => Type.Integer({ minimum, maximum: 99_999_999 });

export const PaymentModeSchema = Type.Union(
  [Type.Literal('full'), Type.Literal('deposit'), Type.Literal('at_venue')],
  {
    title: "one of 'full', 'deposit', 'at_venue'",
  },
);

/**
 * The whole policy (PUT replaces it). A deposit is `deposit_bps` (2500 = 25 %) or `deposit_cents`,
 * exactly one of them and only with mode `deposit`; a no-show fee needs `card_on_file_required`.
 */
export const PaymentPolicyBodySchema = Type.Object(
  {
    mode: PaymentModeSchema,
    deposit_bps: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 10_000 }))),
    deposit_cents: Type.Optional(Nullable(Cents(1))),
    no_show_fee_cents: Type.Optional(Cents(0)),
    card_on_file_required: Type.Optional(Type.Boolean()),
    currency: Type.Optional(Type.String({ pattern: '^[a-z]{3}$', title: 'ISO 4217 code, lower case (usd)' })),
    /** Walk-ins at the kiosk and desk pay on the card reader (the edge follows it live). */
    walk_in_card: Type.Optional(Type.Boolean()),
    /** Offline, a card walk-in up to this is sold "to collect"; above it, refused. */
    walk_in_to_collect_cap_cents: Type.Optional(Cents(0)),
  },
  strict,
);
export type PaymentPolicyBody = Static<typeof PaymentPolicyBodySchema>;

export const PaymentPolicyResponseSchema = Type.Object({
  facility_id: UuidSchema,
  mode: PaymentModeSchema,
  deposit_bps: Nullable(Type.Integer()),
  deposit_cents: Nullable(Type.Integer()),
  no_show_fee_cents: Type.Integer(),
  card_on_file_required: Type.Boolean(),
  currency: Type.String(),
  walk_in_card: Type.Boolean(),
  walk_in_to_collect_cap_cents: Type.Integer(),
  /** false while the cloud has no Stripe key: the policy is kept, customers pay at the venue. */
  online_payments_enabled: Type.Boolean(),
  /** null: never set (the default policy). */
  updated_at: Nullable(IsoInstantSchema),
});
export type PaymentPolicyResponse = Static<typeof PaymentPolicyResponseSchema>;

export const StripeWebhookResponseSchema = Type.Object({
  received: Type.Literal(true),
  /** The event id was stored before: acknowledged again, not applied twice. */
  duplicate: Type.Boolean(),
});

/** `GET /payments/checkout/return`: back from Stripe's hosted page (`session_id`) or its Back link (`booking_id`). */
export const CheckoutReturnQuerySchema = Type.Object(
  {
    session_id: Type.Optional(
      Type.String({ pattern: '^cs_[A-Za-z0-9_]+$', maxLength: 255, title: 'a Checkout Session id (cs_…)' }),
    ),
    booking_id: Type.Optional(UuidSchema),
  },
  strict,
);
export type CheckoutReturnQuery = Static<typeof CheckoutReturnQuerySchema>;

export const CheckoutStateSchema = Type.Union([
  Type.Literal('confirmed'),
  Type.Literal('awaiting_payment'),
  Type.Literal('expired'),
  Type.Literal('refunded'),
]);

/**
 * Where a checkout stands, in words the customer reads. `booking` carries the door PIN and QR only
 * when asked by `session_id` (what Stripe hands back to the payer).
 */
export const CheckoutReturnSchema = Type.Object({
  state: CheckoutStateSchema,
  message: Type.String(),
  booking_id: UuidSchema,
  booking: Nullable(BookingSchema),
  /** While awaiting payment: the open hosted page, to try again. */
  checkout_url: Nullable(Type.String()),
  hold_expires_at: Nullable(IsoInstantSchema),
  refunded_cents: Type.Integer(),
});
export type CheckoutReturn = Static<typeof CheckoutReturnSchema>;
