import { type Static, Type } from '@sinclair/typebox';
import type { BookingRecord } from './booking.repository.js';

const Iso = Type.String({ description: 'ISO-8601 UTC' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

/**
 * A booking as the kiosk and the console see it: the seed's fields (snake_case, ISO instants, decimal
 * `price` plus `price_cents`) and the walk-in's sync outcome, so both audiences see what happened.
 */
export const BookingResponse = Type.Object({
  id: Type.String(),
  facility_id: Type.String(),
  simulator_id: Type.String(),
  reference_code: Type.String(),
  customer_name: Nullable(Type.String()),
  start_time: Iso,
  end_time: Iso,
  duration: Type.Integer(),
  status: Type.String(),
  price: Type.String(),
  price_cents: Type.Integer(),
  check_in_time: Nullable(Iso),
  cancelled_at: Nullable(Iso),
  cancellation_reason: Nullable(Type.String()),
  origin: Type.String({ description: "'cloud' or 'edge' (a walk-in the cloud has not confirmed yet)" }),
  provisional: Type.Boolean(),
  reconciliation: Type.String({ description: 'none | pending | accepted | moved | flagged' }),
  reconciliation_note: Nullable(Type.String()),
  original_simulator_id: Nullable(Type.String()),
});
export type BookingResponse = Static<typeof BookingResponse>;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toBookingResponse(b: BookingRecord): BookingResponse {
  return {
    id: b.id,
    facility_id: b.facility_id,
    simulator_id: b.simulator_id,
    reference_code: b.reference_code,
    customer_name: b.customer_name,
    start_time: new Date(b.start_time).toISOString(),
    end_time: new Date(b.end_time).toISOString(),
    duration: b.duration,
    status: b.status,
    price: (b.price_cents / 100).toFixed(2),
    price_cents: b.price_cents,
    check_in_time: iso(b.check_in_time),
    cancelled_at: iso(b.cancelled_at),
    cancellation_reason: b.cancellation_reason,
    origin: b.origin,
    provisional: b.provisional,
    reconciliation: b.reconciliation,
    reconciliation_note: b.reconciliation_note,
    original_simulator_id: b.original_simulator_id,
  };
}
