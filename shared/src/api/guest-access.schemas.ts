import { type Static, Type } from '@sinclair/typebox';
import { BookingSchema, CancelBookingBodySchema } from './booking.schema.js';
import { EmailSchema, Nullable } from './common.schema.js';

/**
 * Guests manage a booking without an account, and account holders claim bookings they made as
 * guests. Both prove possession of what only the booker was given: the booking code, plus the
 * email it was booked with or the door PIN.
 */

/** What a person types as a booking code: case, spaces and dashes are forgiven by the server. */
export const BookingCodeInputSchema = Type.String({ minLength: 1, maxLength: 32, title: 'booking code' });
/** The six-digit door PIN printed on the confirmation. */
export const PinSchema = Type.String({ pattern: '^\\d{6}$', title: 'six-digit PIN' });

/** `POST /api/v1/bookings/lookup`: the booking code with the booker's email, or with the PIN. */
export const BookingLookupBodySchema = Type.Object(
  {
    reference_code: BookingCodeInputSchema,
    email: Type.Optional(EmailSchema),
    pin: Type.Optional(PinSchema),
  },
  { additionalProperties: false },
);
export type BookingLookupBody = Static<typeof BookingLookupBodySchema>;

/** The refund the facility's policy gives if the booking is cancelled now (shown before confirming). */
export const CancellationPreviewSchema = Type.Object({
  refund_cents: Type.Integer(),
  refund: Type.Number(),
  refund_percent: Type.Integer(),
  rule: Type.String(),
  explanation: Type.String(),
  /** `card`: refunded to the card it was paid with; `venue`: settled at the venue. */
  via: Type.Optional(Type.Union([Type.Literal('card'), Type.Literal('venue')])),
});
export type CancellationPreview = Static<typeof CancellationPreviewSchema>;

/** One booking as its guest sees it: with the door QR and PIN, the bay and the venue's zone. */
export const ManagedBookingSchema = Type.Object({
  booking: BookingSchema,
  bay_name: Type.String(),
  facility_name: Type.String(),
  facility_timezone: Type.String(),
  /** null when the booking can no longer be cancelled (already cancelled, played, …). */
  cancellation: Nullable(CancellationPreviewSchema),
  can_reschedule: Type.Boolean(),
});
export type ManagedBooking = Static<typeof ManagedBookingSchema>;

/** The lookup's answer: the booking and a short-lived token that manages only that booking. */
export const BookingLookupResponseSchema = Type.Object({
  ...ManagedBookingSchema.properties,
  /** Send as the `X-Manage-Token` header to the `/bookings/{id}/manage…` routes. */
  manage_token: Type.String(),
  /** Seconds until the token stops working (look the booking up again for a new one). */
  expires_in: Type.Integer(),
});
export type BookingLookupResponse = Static<typeof BookingLookupResponseSchema>;

/** Header of the guest manage routes. */
export const ManageTokenHeadersSchema = Type.Object({
  'x-manage-token': Type.String({ minLength: 1, maxLength: 2048 }),
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
});

/** A guest's cancellation: the policy's refund always applies (no waiver from this route). */
export const GuestCancelBodySchema = Type.Pick(CancelBookingBodySchema, ['reason'], {
  additionalProperties: false,
});
export type GuestCancelBody = Static<typeof GuestCancelBodySchema>;

/** `POST /api/v1/customers/me/claim`: adds a booking made as a guest to the signed-in account. */
export const ClaimBookingBodySchema = Type.Object(
  { reference_code: BookingCodeInputSchema, pin: PinSchema },
  { additionalProperties: false },
);
export type ClaimBookingBody = Static<typeof ClaimBookingBodySchema>;

export const ClaimBookingResponseSchema = Type.Object({
  customer_id: Type.String(),
  /** The booking, plus the other bookings of the same series or group (made in one checkout). */
  claimed: Type.Array(BookingSchema),
});
export type ClaimBookingResponse = Static<typeof ClaimBookingResponseSchema>;
