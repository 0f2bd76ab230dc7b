import type { EdgeBooking } from '@clubos/shared/api/edge-lan';
import { centsToDecimal } from '@clubos/shared/pricing';
import type { BookingRecord } from './booking.repository.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A replica booking as the LAN API answers it (`EdgeBookingSchema` in @clubos/shared). */
export function toBookingResponse(b: BookingRecord): EdgeBooking {
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
    price: centsToDecimal(b.price_cents),
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
