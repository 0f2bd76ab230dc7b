import type { WaitlistEntry, WaitlistStatus } from '@clubos/shared/api/waitlist.schemas';
import type { WaitlistView } from './waitlist.repository.js';

/** A waitlist row → the API shape (instants as ISO strings; the slot's end is derived). */
export function toWaitlistEntry(row: WaitlistView, position: number | null): WaitlistEntry {
  const offerOpen = row.status === 'offered';
  return {
    id: row.id,
    facility_id: row.facilityId,
    simulator_id: row.simulatorId,
    customer_id: row.customerId,
    start_time: row.startTime.toISOString(),
    end_time: new Date(row.startTime.getTime() + row.duration * 60_000).toISOString(),
    duration: row.duration,
    status: row.status as WaitlistStatus,
    position,
    offer_booking_id: offerOpen || row.status === 'accepted' ? row.offerBookingId : null,
    offer_simulator_id: offerOpen || row.status === 'accepted' ? row.offerSimulatorId : null,
    offer_expires_at: offerOpen ? (row.offerExpiresAt?.toISOString() ?? null) : null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
