import { type Static, Type } from '@sinclair/typebox';
import { InstantInputSchema, IsoInstantSchema, UuidSchema } from '../../schema/common.schema.js';
import { LocalDateSchema, Nullable } from '../common.schema.js';
import { WalkInDurationSchema } from './walk-in.schema.js';

export const EdgeAvailabilityQuerySchema = Type.Object({
  simulator_id: Type.Optional(UuidSchema),
  date: Type.Optional(LocalDateSchema),
  duration: WalkInDurationSchema,
});

export const EdgeSlotSchema = Type.Object({
  simulator_id: Type.String(),
  start_time: IsoInstantSchema,
  end_time: IsoInstantSchema,
  duration: Type.Integer(),
  price: Type.String(),
  price_cents: Type.Integer(),
});

export const EdgeBaySlotsSchema = Type.Object({
  simulator_id: Type.String(),
  name: Type.String(),
  bay_number: Nullable(Type.Integer()),
  unavailable_reason: Nullable(Type.String()),
  slots: Type.Array(EdgeSlotSchema),
});
export type EdgeBaySlots = Static<typeof EdgeBaySlotsSchema>;

/** `GET /availability`: free walk-in slots per bay, from the replica. */
export const EdgeAvailabilitySchema = Type.Object({
  date: Type.String(),
  timezone: Type.String(),
  duration: Type.Integer(),
  bays: Type.Array(EdgeBaySlotsSchema),
});
export type EdgeAvailability = Static<typeof EdgeAvailabilitySchema>;

export const QuoteBodySchema = Type.Object({
  simulator_id: UuidSchema,
  start_time: InstantInputSchema,
  duration: WalkInDurationSchema,
});
export type QuoteBody = Static<typeof QuoteBodySchema>;

export const QuoteLineSchema = Type.Object({
  kind: Type.String(),
  name: Type.String(),
  amount_cents: Type.Integer(),
  explanation: Type.String(),
});

/** `POST /quotes`: the walk-in's price, line by line, as the kiosk shows it before the sale. */
export const QuoteSchema = Type.Object({
  simulator_id: Type.String(),
  start_time: IsoInstantSchema,
  end_time: IsoInstantSchema,
  duration: Type.Integer(),
  lines: Type.Array(QuoteLineSchema),
  subtotal_cents: Type.Integer(),
  tax_cents: Type.Integer(),
  total_cents: Type.Integer(),
  price: Type.String(),
});
export type Quote = Static<typeof QuoteSchema>;
