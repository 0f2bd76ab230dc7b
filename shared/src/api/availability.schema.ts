import { type Static, Type } from '@sinclair/typebox';
import { InstantInputSchema, IsoInstantSchema, UuidSchema } from '../schema/index.js';
import { DurationSchema, LocalDateSchema, Nullable, TimeZoneSchema } from './common.schema.js';

/**
 * Seed `GET /api/v1/availability`: `simulator_id` (one bay) or `facility_id` (every bay), the
 * facility-local `date`, `duration` in minutes, and an optional display `timezone` (slots then
 * also carry `start_local` in that zone; opening hours are always the facility's).
 */
export const AvailabilityQuerySchema = Type.Object({
  simulator_id: Type.Optional(UuidSchema),
  facility_id: Type.Optional(UuidSchema),
  date: LocalDateSchema,
  duration: DurationSchema,
  timezone: Type.Optional(TimeZoneSchema),
  /** Number of consecutive dates from `date` (default 1, max 14). */
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 14 })),
  /** Staff, admins and edges: price for this customer (membership); a customer: only themself. */
  customer_id: Type.Optional(UuidSchema),
});
export type AvailabilityQueryParams = Static<typeof AvailabilityQuerySchema>;

export const AvailableSlotSchema = Type.Object({
  start_time: IsoInstantSchema,
  end_time: IsoInstantSchema,
  duration: Type.Integer(),
  price: Type.Number(),
  price_cents: Type.Integer(),
  start_local: Type.Optional(Type.String()),
  end_local: Type.Optional(Type.String()),
});
export type AvailableSlot = Static<typeof AvailableSlotSchema>;

export const SimulatorAvailabilitySchema = Type.Object({
  simulator_id: UuidSchema,
  name: Type.String(),
  bay_number: Nullable(Type.Integer()),
  unavailable_reason: Nullable(Type.String()),
  slots: Type.Array(AvailableSlotSchema),
});

export const AvailabilityResponseSchema = Type.Object({
  facility_id: UuidSchema,
  timezone: Type.String(),
  date: Type.String(),
  days: Type.Integer(),
  duration: Type.Integer(),
  /** Facility occupancy 0–1 per date. */
  occupancy: Type.Record(Type.String(), Type.Number()),
  simulators: Type.Array(SimulatorAvailabilitySchema),
});
export type AvailabilityResponse = Static<typeof AvailabilityResponseSchema>;

/** `GET /api/v1/quote`: the price of one slot with the pricing engine's explanation lines. */
export const QuoteQuerySchema = Type.Object({
  simulator_id: UuidSchema,
  start_time: InstantInputSchema,
  duration: DurationSchema,
  /** Staff, admins and edges: price for this customer (membership); a customer: only themself. */
  customer_id: Type.Optional(UuidSchema),
});
export type QuoteQueryParams = Static<typeof QuoteQuerySchema>;

export const QuoteLineSchema = Type.Object({
  kind: Type.String(),
  rule_id: Nullable(Type.String()),
  name: Type.String(),
  type: Type.String(),
  amount: Type.Number(),
  amount_cents: Type.Integer(),
  explanation: Type.String(),
});

export const QuoteResponseSchema = Type.Object({
  simulator_id: UuidSchema,
  facility_id: UuidSchema,
  start_time: IsoInstantSchema,
  end_time: IsoInstantSchema,
  duration: Type.Integer(),
  hourly_rate: Type.Number(),
  lines: Type.Array(QuoteLineSchema),
  subtotal_cents: Type.Integer(),
  tax_rate_bps: Type.Integer(),
  tax_cents: Type.Integer(),
  total_cents: Type.Integer(),
  price: Type.Number(),
  /** Whether the slot can be booked right now, and why not. */
  available: Type.Boolean(),
  unavailable_reason: Nullable(Type.String()),
});
export type QuoteResponse = Static<typeof QuoteResponseSchema>;
