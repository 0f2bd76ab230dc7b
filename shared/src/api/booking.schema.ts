import { type Static, Type } from '@sinclair/typebox';
import { RecurrenceRuleSchema } from '../booking/recurrence.schema.js';
import { InstantInputSchema, IsoInstantSchema, UuidSchema } from '../schema/index.js';
import { DurationSchema, EmailSchema, ErrorBodySchema, Nullable, PhoneInputSchema } from './common.schema.js';

/** Seed `customer` block of a guest checkout: creates or links the customer by email. */
export const BookingCustomerSchema = Type.Object({
  email: EmailSchema,
  first_name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  last_name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  phone: Type.Optional(PhoneInputSchema),
});

/** Seed `preferences` (free-form, kept in the booking's metadata). */
export const BookingPreferencesSchema = Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), {
  maxProperties: 32,
});

const bookingCommon = {
  start_time: InstantInputSchema,
  duration: DurationSchema,
  /** Guest checkout; optional when logged in as a customer (their own record is used). */
  customer: Type.Optional(BookingCustomerSchema),
  preferences: Type.Optional(BookingPreferencesSchema),
};

/** Seed `POST /api/v1/bookings`. With `hold_id`, confirms that checkout hold instead. */
export const CreateBookingBodySchema = Type.Object({
  simulator_id: UuidSchema,
  ...bookingCommon,
  hold_id: Type.Optional(UuidSchema),
});
export type CreateBookingBody = Static<typeof CreateBookingBodySchema>;

/** `POST /api/v1/holds`: blocks a slot for a few minutes during checkout. */
export const CreateHoldBodySchema = Type.Object({
  simulator_id: UuidSchema,
  start_time: InstantInputSchema,
  duration: DurationSchema,
  customer: Type.Optional(BookingCustomerSchema),
});
export type CreateHoldBody = Static<typeof CreateHoldBodySchema>;

/** `POST /api/v1/bookings/recurring`: every occurrence is checked before anything is written. */
export const CreateRecurringBookingBodySchema = Type.Object({
  simulator_id: UuidSchema,
  ...bookingCommon,
  recurrence: RecurrenceRuleSchema,
  /** true (default): book every occurrence or none; false: book the free ones, report the rest. */
  all_or_nothing: Type.Optional(Type.Boolean()),
});
export type CreateRecurringBookingBody = Static<typeof CreateRecurringBookingBodySchema>;

/** `POST /api/v1/bookings/group`: several bays of one facility at the same time, all or nothing. */
export const CreateGroupBookingBodySchema = Type.Object({
  simulator_ids: Type.Array(UuidSchema, { minItems: 2, maxItems: 16, uniqueItems: true }),
  ...bookingCommon,
});
export type CreateGroupBookingBody = Static<typeof CreateGroupBookingBodySchema>;

/**
 * Seed `POST /api/v1/bookings/{id}/cancel`. `refund: false` waives the policy's refund; staff may
 * give `refund_cents` instead of the policy's amount, with a `reason` (audited).
 */
export const CancelBookingBodySchema = Type.Object({
  reason: Type.Optional(Type.String({ maxLength: 500 })),
  refund: Type.Optional(Type.Boolean()),
  refund_cents: Type.Optional(Type.Integer({ minimum: 0, maximum: 99_999_999 })),
});
export type CancelBookingBody = Static<typeof CancelBookingBodySchema>;

/** Seed `POST /api/v1/bookings/{id}/checkin`. */
export const CheckinMethodSchema = Type.Union([
  Type.Literal('qr_code'),
  Type.Literal('pin'),
  Type.Literal('reference_code'),
  Type.Literal('staff'),
]);
export const CheckinBodySchema = Type.Object({
  method: CheckinMethodSchema,
  code: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
});
export type CheckinBody = Static<typeof CheckinBodySchema>;

export const RescheduleBodySchema = Type.Object({
  start_time: InstantInputSchema,
  duration: Type.Optional(DurationSchema),
  simulator_id: Type.Optional(UuidSchema),
  /** Where the payment page for a dearer slot's difference returns to (default: the site). */
  return_url: Type.Optional(Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 2000 })),
});
export type RescheduleBody = Static<typeof RescheduleBodySchema>;

export const BookingIdParamsSchema = Type.Object({ id: UuidSchema });

export const ListBookingsQuerySchema = Type.Object({
  /** Staff and admins: one facility's bookings; customers always see only their own. */
  facility_id: Type.Optional(UuidSchema),
  status: Type.Optional(Type.String({ maxLength: 20 })),
  from: Type.Optional(InstantInputSchema),
  to: Type.Optional(InstantInputSchema),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});
export type ListBookingsQuery = Static<typeof ListBookingsQuerySchema>;

export const BookingSchema = Type.Object({
  id: UuidSchema,
  facility_id: UuidSchema,
  simulator_id: UuidSchema,
  customer_id: Nullable(UuidSchema),
  start_time: IsoInstantSchema,
  end_time: IsoInstantSchema,
  duration: Type.Integer(),
  status: Type.String(),
  type: Type.String(),
  series_id: Nullable(UuidSchema),
  recurrence_rule: Nullable(Type.Unknown()),
  price: Type.Number(),
  price_cents: Type.Integer(),
  /** unpaid | paid | deposit_paid | refund_due | refunded (null: not decided yet, a hold). */
  payment_status: Nullable(Type.String()),
  reference_code: Type.String(),
  /** Six-digit door PIN. */
  access_code: Nullable(Type.String()),
  /** Signed door credential to render as a QR code (verifiable offline by the edge). */
  qr_code: Nullable(Type.String()),
  hold_expires_at: Nullable(IsoInstantSchema),
  check_in_time: Nullable(IsoInstantSchema),
  cancelled_at: Nullable(IsoInstantSchema),
  cancellation_reason: Nullable(Type.String()),
  refund_cents: Nullable(Type.Integer()),
  refund: Nullable(Type.Number()),
  preferences: Type.Record(Type.String(), Type.Unknown()),
  created_at: IsoInstantSchema,
  updated_at: IsoInstantSchema,
  /**
   * Only while the booking waits for its online payment (status `pending`): Stripe's hosted page.
   * The booking is confirmed when the payment succeeds.
   */
  checkout_url: Type.Optional(Type.String()),
  /** Only in a reschedule's answer: a paid booking moved to a dearer slot owes the difference. */
  balance_due: Type.Optional(
    Type.Object({
      amount_cents: Type.Integer(),
      currency: Type.String(),
      checkout_url: Nullable(Type.String()),
      /** true: charged on the customer's saved card; false: tried and refused (see saved_card_error). */
      paid_on_saved_card: Type.Optional(Type.Boolean()),
      saved_card_error: Type.Optional(Nullable(Type.String())),
    }),
  ),
});
export type Booking = Static<typeof BookingSchema>;

export const BookingListSchema = Type.Object({ bookings: Type.Array(BookingSchema) });

export const CancellationResponseSchema = Type.Object({
  booking: BookingSchema,
  refund_cents: Type.Integer(),
  refund: Type.Number(),
  policy: Type.Object({ rule: Type.String(), refund_percent: Type.Integer(), explanation: Type.String() }),
  /** `card`: sent back to the card through Stripe (see `refunds`); `venue`: settled at the venue. */
  refund_via: Type.Optional(Type.Union([Type.Literal('card'), Type.Literal('venue')])),
  /** The card refunds this cancellation started (pending until Stripe answers). */
  refunds: Type.Optional(
    Type.Array(Type.Object({ id: Type.String(), amount_cents: Type.Integer(), status: Type.String() })),
  ),
});

/** A free slot offered instead of a taken one. */
export const AlternativeSchema = Type.Object({
  simulator_id: UuidSchema,
  start_time: IsoInstantSchema,
  end_time: IsoInstantSchema,
  price_cents: Type.Integer(),
});

export const SlotConflictSchema = Type.Object({
  simulator_id: UuidSchema,
  start_time: IsoInstantSchema,
  end_time: IsoInstantSchema,
  reason: Type.String(),
  message: Type.String(),
});

/**
 * 409/422: for a refused slot, `alternatives` are the nearest free slots and `conflicts` lists each
 * failed occurrence or bay; other conflicts (a booking's state, a reused Idempotency-Key) carry
 * only `error`.
 */
export const ConflictResponseSchema = Type.Object({
  error: ErrorBodySchema,
  alternatives: Type.Optional(Type.Array(AlternativeSchema)),
  conflicts: Type.Optional(Type.Array(SlotConflictSchema)),
});

export const SeriesResponseSchema = Type.Object({
  series_id: UuidSchema,
  type: Type.String(),
  bookings: Type.Array(BookingSchema),
  /** Occurrences that could not be booked (all_or_nothing: false), and months skipped by the rule. */
  conflicts: Type.Array(SlotConflictSchema),
  skipped: Type.Array(Type.Object({ month: Type.String(), reason: Type.String() })),
});
export type SeriesResponse = Static<typeof SeriesResponseSchema>;
