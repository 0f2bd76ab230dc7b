import { type Static, Type } from '@sinclair/typebox';
import { IsoInstantSchema, UuidSchema } from '../schema/index.js';
import { Nullable } from './common.schema.js';

/**
 * Walk-ins paid at the venue: the facility's card reader (admin), card payments on it that the edge
 * starts and polls (`/api/v1/edge/terminal-payments`), and walk-ins sold offline "to collect" that
 * staff settle (`/api/v1/edge/walk-in-dues/:booking_id/settle`). Integer minor units.
 */
const strict = { additionalProperties: false } as const;
const Cents = Type.Integer({ minimum: 1, maximum: 99_999_999 });

export const TerminalReaderBodySchema = Type.Object(
  { reader_id: Type.String({ pattern: '^tmr_[A-Za-z0-9]+$', title: 'a Stripe Terminal reader id (tmr_…)' }) },
  strict,
);
export type TerminalReaderBody = Static<typeof TerminalReaderBodySchema>;

export const TerminalReaderResponseSchema = Type.Object({
  facility_id: UuidSchema,
  /** null: no reader, walk-ins are not charged by card. */
  reader_id: Nullable(Type.String()),
});

/** `walk_in`: authorise, captured once the sale is confirmed; `settle`: charge at once (a due). */
export const TerminalPurposeSchema = Type.Union([Type.Literal('walk_in'), Type.Literal('settle')], {
  title: "one of 'walk_in', 'settle'",
});

export const StartTerminalPaymentBodySchema = Type.Object(
  { booking_id: UuidSchema, amount_cents: Cents, purpose: TerminalPurposeSchema },
  strict,
);
export type StartTerminalPaymentBody = Static<typeof StartTerminalPaymentBodySchema>;

/**
 * - waiting: the reader asks for a card;
 * - authorized: the card was accepted, the money is held until the sale is confirmed (capture);
 * - succeeded: charged; declined: the card or the customer said no (nothing charged, `message` says
 *   why); canceled: given up (the sale was refused, or the hold released).
 */
export const TerminalPaymentStatusSchema = Type.Union([
  Type.Literal('waiting'),
  Type.Literal('authorized'),
  Type.Literal('succeeded'),
  Type.Literal('declined'),
  Type.Literal('canceled'),
]);
export type TerminalPaymentStatus = Static<typeof TerminalPaymentStatusSchema>;

export const TerminalPaymentSchema = Type.Object({
  payment_id: UuidSchema,
  booking_id: UuidSchema,
  amount_cents: Type.Integer(),
  currency: Type.String(),
  status: TerminalPaymentStatusSchema,
  message: Type.String(),
});
export type TerminalPayment = Static<typeof TerminalPaymentSchema>;

export const PaymentIdParamsSchema = Type.Object({ id: UuidSchema }, strict);
export const BookingIdParamsSchema = Type.Object({ booking_id: UuidSchema }, strict);

/** Cash is recorded as paid; card names a terminal payment (purpose settle) that succeeded. */
export const SettleDueBodySchema = Type.Object(
  {
    amount_cents: Cents,
    method: Type.Union([Type.Literal('cash'), Type.Literal('card')], { title: "one of 'cash', 'card'" }),
    payment_id: Type.Optional(UuidSchema),
    /** Who took the money (`user:<id>` of the staff member at the edge). */
    settled_by: Type.String({ minLength: 1, maxLength: 64 }),
  },
  strict,
);
export type SettleDueBody = Static<typeof SettleDueBodySchema>;

export const WalkInDueSchema = Type.Object({
  booking_id: UuidSchema,
  amount_cents: Type.Integer(),
  currency: Type.String(),
  status: Type.Union([Type.Literal('owed'), Type.Literal('settled')]),
  method: Nullable(Type.Union([Type.Literal('cash'), Type.Literal('card')])),
  payment_id: Nullable(UuidSchema),
  settled_by: Nullable(Type.String()),
  settled_at: Nullable(IsoInstantSchema),
});
export type WalkInDue = Static<typeof WalkInDueSchema>;
