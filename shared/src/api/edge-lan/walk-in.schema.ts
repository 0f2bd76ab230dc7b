import { type Static, Type } from '@sinclair/typebox';
import { InstantInputSchema, IsoInstantSchema, UuidSchema } from '../../schema/common.schema.js';
import { Nullable } from '../common.schema.js';
import { EdgeBookingSchema } from './booking.schema.js';

/** Walk-ins are sold for 15 minutes to 8 hours. */
export const WalkInDurationSchema = Type.Integer({ minimum: 15, maximum: 480 });

/** `POST /walk-ins` (kiosk and console); the customer is optional at the desk. */
export const WalkInBodySchema = Type.Object({
  simulator_id: UuidSchema,
  start_time: InstantInputSchema,
  duration: WalkInDurationSchema,
  customer: Type.Optional(
    Type.Object({
      first_name: Type.Optional(Type.String({ maxLength: 255 })),
      last_name: Type.Optional(Type.String({ maxLength: 255 })),
      email: Type.Optional(Type.String({ maxLength: 255 })),
      phone: Type.Optional(Type.String({ maxLength: 20 })),
    }),
  ),
  /** The reader payment authorised for this walk-in (`POST /walk-ins/payments`), at a card-paying venue. */
  payment_id: Type.Optional(UuidSchema),
});
export type WalkInBody = Static<typeof WalkInBodySchema>;

export const WalkInResultSchema = Type.Object({
  booking: EdgeBookingSchema,
  mode: Type.Union([Type.Literal('online'), Type.Literal('offline'), Type.Literal('provisional')]),
  provisional: Type.Boolean(),
  message: Type.String(),
  horizon: Nullable(IsoInstantSchema),
  total_cents: Type.Integer(),
  /** The signed door token (CB1) to show as the QR code: the door scanners admit it offline. */
  qr_code: Type.String(),
  /** The six-digit door PIN (UniFi keypads), shown with the QR code. */
  access_code: Type.String({ pattern: '^[0-9]{6}$' }),
  /** When both open doors: 15 minutes before the start to 15 minutes after the end. */
  valid_from: IsoInstantSchema,
  valid_until: IsoInstantSchema,
  doors: Type.Array(Type.String()),
  /** At a card-paying venue: paid on the reader, or owed at the desk (sold offline). */
  payment: Type.Optional(Type.Union([Type.Literal('paid'), Type.Literal('to_collect')])),
});
export type WalkInResult = Static<typeof WalkInResultSchema>;

/** `GET /walk-ins/attention`: walk-ins the cloud moved, flagged or has not confirmed yet. */
export const WalkInAttentionSchema = Type.Object({ bookings: Type.Array(EdgeBookingSchema) });
