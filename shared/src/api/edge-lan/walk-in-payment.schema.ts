import { type Static, Type } from '@sinclair/typebox';
import { IsoInstantSchema, UuidSchema } from '../../schema/index.js';
import { Nullable } from '../common.schema.js';
import { TerminalPaymentSchema } from '../terminal.schemas.js';

/**
 * Walk-ins paid at the venue (edge LAN API): `POST /walk-ins/payments` asks how the walk-in pays —
 * on the card reader (`reader`, the payment to poll at `GET /walk-ins/payments/:id`), "to collect"
 * at the desk because the venue is offline (`to_collect`), or as before (`none`) — then
 * `POST /walk-ins` sells it (with `payment_id` once the card is authorised). Staff settle what
 * is owed at `/walk-ins/dues`.
 */
export const WalkInPaymentOfferSchema = Type.Object({
  method: Type.Union([Type.Literal('reader'), Type.Literal('to_collect'), Type.Literal('none')]),
  amount_cents: Type.Integer(),
  /** The reader payment, for `reader`. */
  payment: Nullable(TerminalPaymentSchema),
  message: Type.String(),
});
export type WalkInPaymentOffer = Static<typeof WalkInPaymentOfferSchema>;

export const WalkInPaymentParamsSchema = Type.Object({ id: UuidSchema }, { additionalProperties: false });
export const WalkInDueParamsSchema = Type.Object({ booking_id: UuidSchema }, { additionalProperties: false });

export const WalkInDueItemSchema = Type.Object({
  booking_id: UuidSchema,
  reference_code: Nullable(Type.String()),
  customer_name: Nullable(Type.String()),
  simulator_id: Nullable(Type.String()),
  start_time: Nullable(IsoInstantSchema),
  amount_cents: Type.Integer(),
  sold_at: IsoInstantSchema,
  sold_by: Type.String(),
});
export type WalkInDueItem = Static<typeof WalkInDueItemSchema>;

export const WalkInDuesSchema = Type.Object({ dues: Type.Array(WalkInDueItemSchema) });
export type WalkInDues = Static<typeof WalkInDuesSchema>;

/** Cash taken at the desk, or the reader payment (started at `POST /walk-ins/dues/:id/card`) that succeeded. */
export const SettleWalkInDueBodySchema = Type.Object(
  {
    method: Type.Union([Type.Literal('cash'), Type.Literal('card')], { title: "one of 'cash', 'card'" }),
    payment_id: Type.Optional(UuidSchema),
  },
  { additionalProperties: false },
);
export type SettleWalkInDueBody = Static<typeof SettleWalkInDueBodySchema>;

export const SettledWalkInDueSchema = Type.Object({
  booking_id: UuidSchema,
  method: Type.Union([Type.Literal('cash'), Type.Literal('card')]),
  amount_cents: Type.Integer(),
  settled_by: Type.String(),
});
