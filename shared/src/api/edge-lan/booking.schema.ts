import { type Static, Type } from '@sinclair/typebox';
import { IsoInstantSchema, UuidSchema } from '../../schema/common.schema.js';
import { CHECK_IN_METHODS } from '../../sync/outbox-payload.schema.js';
import { LocalDateSchema, Nullable } from '../common.schema.js';

/**
 * A booking as the kiosk and the console see it: the public API's fields (snake_case, ISO instants, decimal
 * `price` plus `price_cents`) and the walk-in's sync outcome, so both audiences see what happened.
 */
export const EdgeBookingSchema = Type.Object({
  id: Type.String(),
  facility_id: Type.String(),
  simulator_id: Type.String(),
  reference_code: Type.String(),
  customer_name: Nullable(Type.String()),
  start_time: IsoInstantSchema,
  end_time: IsoInstantSchema,
  duration: Type.Integer(),
  status: Type.String(),
  price: Type.String(),
  price_cents: Type.Integer(),
  check_in_time: Nullable(IsoInstantSchema),
  cancelled_at: Nullable(IsoInstantSchema),
  cancellation_reason: Nullable(Type.String()),
  origin: Type.String({ description: "'cloud' or 'edge' (a walk-in the cloud has not confirmed yet)" }),
  provisional: Type.Boolean(),
  reconciliation: Type.String({ description: 'none | pending | accepted | moved | flagged' }),
  reconciliation_note: Nullable(Type.String()),
  original_simulator_id: Nullable(Type.String()),
});
export type EdgeBooking = Static<typeof EdgeBookingSchema>;

export const EdgeBookingIdParamsSchema = Type.Object({ id: UuidSchema });

/** `GET /bookings/lookup`: by the code a customer types or the door QR they scan. */
export const BookingLookupQuerySchema = Type.Object({
  code: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
  qr: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
});

export const EdgeCheckInBodySchema = Type.Object({
  method: Type.Union(CHECK_IN_METHODS.map((m) => Type.Literal(m))),
});
export type EdgeCheckInBody = Static<typeof EdgeCheckInBodySchema>;

export const ScheduleQuerySchema = Type.Object({ date: Type.Optional(LocalDateSchema) });

/** `GET /schedule/today`: every bay's bookings on the venue's day. */
export const ScheduleSchema = Type.Object({
  date: Type.String(),
  timezone: Type.String(),
  bays: Type.Array(
    Type.Object({
      simulator_id: Type.String(),
      name: Type.String(),
      bay_number: Nullable(Type.Integer()),
      status: Type.String(),
      bookings: Type.Array(EdgeBookingSchema),
    }),
  ),
});
export type Schedule = Static<typeof ScheduleSchema>;
