import { type Static, Type } from '@sinclair/typebox';
import { IsoInstantSchema, UuidSchema } from '../schema/index.js';
import { LocalDateSchema, Nullable } from './common.schema.js';
import { WalkInDueSchema } from './terminal.schemas.js';

/**
 * Admin money views (`/api/v1/admin/bookings/:id/payments`, `/api/v1/admin/facilities/:id/payments`,
 * `/api/v1/admin/payments/reconciliation`). Amounts are integer minor units of `currency`; totals
 * are per currency, never summed across currencies.
 */
const strict = { additionalProperties: false } as const;

export const PaymentItemSchema = Type.Object({
  id: UuidSchema,
  booking_id: UuidSchema,
  /** online | terminal | cash | no_show_fee */
  kind: Type.String(),
  provider: Type.String(),
  /** pending | failed | canceled | succeeded */
  status: Type.String(),
  attempt: Type.Integer(),
  amount_cents: Type.Integer(),
  currency: Type.String(),
  provider_payment_id: Nullable(Type.String()),
  created_at: IsoInstantSchema,
  succeeded_at: Nullable(IsoInstantSchema),
});
export type PaymentItem = Static<typeof PaymentItemSchema>;

export const RefundItemSchema = Type.Object({
  id: UuidSchema,
  payment_id: UuidSchema,
  booking_id: UuidSchema,
  amount_cents: Type.Integer(),
  currency: Type.String(),
  /** pending | succeeded | failed */
  status: Type.String(),
  reason: Type.String(),
  /** user:<id> | system | provider (made on Stripe's dashboard) */
  actor: Type.String(),
  provider_refund_id: Nullable(Type.String()),
  created_at: IsoInstantSchema,
});
export type RefundItem = Static<typeof RefundItemSchema>;

export const CurrencyTotalsSchema = Type.Object({
  currency: Type.String(),
  gross_paid_cents: Type.Integer(),
  refunded_cents: Type.Integer(),
  /** gross − refunded: what the provider pays out for these movements. */
  net_cents: Type.Integer(),
  payments_count: Type.Integer(),
  refunds_count: Type.Integer(),
});

export const BookingPaymentsResponseSchema = Type.Object({
  booking_id: UuidSchema,
  payments: Type.Array(PaymentItemSchema),
  refunds: Type.Array(RefundItemSchema),
  totals: Type.Array(CurrencyTotalsSchema),
});
export type BookingPaymentsResponse = Static<typeof BookingPaymentsResponseSchema>;

export const FacilityPaymentsQuerySchema = Type.Object(
  {
    /** The facility's local business date. */
    date: LocalDateSchema,
  },
  strict,
);
export type FacilityPaymentsQuery = Static<typeof FacilityPaymentsQuerySchema>;

/**
 * One local day of a facility: payments that succeeded that day (or, not succeeded, were started
 * that day), refunds made that day, and the payout totals of the succeeded ones.
 */
export const FacilityPaymentsResponseSchema = Type.Object({
  facility_id: UuidSchema,
  date: Type.String(),
  timezone: Type.String(),
  payments: Type.Array(PaymentItemSchema),
  refunds: Type.Array(RefundItemSchema),
  totals: Type.Array(CurrencyTotalsSchema),
  /** Walk-ins sold offline "to collect" (synced from the edge): recorded that day, or still owed. */
  to_collect: Type.Array(Type.Composite([WalkInDueSchema, Type.Object({ recorded_at: IsoInstantSchema })])),
});
export type FacilityPaymentsResponse = Static<typeof FacilityPaymentsResponseSchema>;

export const ReconciliationQuerySchema = Type.Object(
  {
    /** The UTC date compared; absent: the latest report. */
    date: Type.Optional(LocalDateSchema),
  },
  strict,
);

export const ReconciliationRunBodySchema = Type.Object({ date: LocalDateSchema }, strict);

const SideSchema = Nullable(Type.Object({ amount_cents: Type.Integer(), status: Type.String() }));

export const ReconciliationDifferenceSchema = Type.Object({
  kind: Type.Union([
    Type.Literal('missing_at_us'),
    Type.Literal('missing_at_stripe'),
    Type.Literal('amount_differs'),
    Type.Literal('status_differs'),
  ]),
  object: Type.Union([Type.Literal('payment'), Type.Literal('refund')]),
  provider_id: Type.String(),
  our_id: Nullable(Type.String()),
  booking_id: Nullable(Type.String()),
  ours: SideSchema,
  stripe: SideSchema,
});

/** One UTC date's comparison of Stripe's PaymentIntents and Refunds with our ledger. */
export const ReconciliationReportSchema = Type.Object({
  date: Type.String(),
  period_start: IsoInstantSchema,
  period_end: IsoInstantSchema,
  ran_at: IsoInstantSchema,
  /** How many PaymentIntents and Refunds Stripe listed for the period. */
  stripe_payments: Type.Integer(),
  stripe_refunds: Type.Integer(),
  /** Empty on a clean day. */
  differences: Type.Array(ReconciliationDifferenceSchema),
});
export type ReconciliationReport = Static<typeof ReconciliationReportSchema>;
