import { generateBookingCode } from '@clubos/shared/credentials';
import type { OutboxEventType, OutboxPayloads } from '@clubos/shared/sync';
import type { SlotPlan } from './slot-check.js';

/** Outbox event type of a walk-in sold (or moved) at the edge. */
export const WALK_IN_EVENT = 'walk_in.created' satisfies OutboxEventType;

export interface WalkInCustomer {
  first_name?: string;
  last_name?: string;
  email?: string;
  phone?: string;
}

export function newReferenceCode(): string {
  return generateBookingCode();
}

/**
 * The walk-in as the cloud receives it (snake_case, ISO instants, as every API body). The booking id
 * and reference are the edge's, so the cloud's copy returns through the feed under the same id.
 * `excluded_simulator_ids` lists bays the cloud already refused for this booking (see reconciliation).
 */
export function walkInPayload(v: {
  bookingId: string;
  reference: string;
  plan: Pick<SlotPlan, 'bay' | 'start' | 'end' | 'durationMinutes' | 'quote'>;
  customer: WalkInCustomer;
  provisional: boolean;
  tried: string[];
  /** The door PIN the customer was given: the cloud keeps it rather than issuing another. */
  pin?: string;
}): OutboxPayloads['walk_in.created'] & { excluded_simulator_ids: string[] } {
  return {
    booking_id: v.bookingId,
    reference_code: v.reference,
    simulator_id: v.plan.bay.id,
    start_time: new Date(v.plan.start).toISOString(),
    end_time: new Date(v.plan.end).toISOString(),
    duration: v.plan.durationMinutes,
    price_cents: v.plan.quote.total_cents,
    customer: v.customer,
    provisional: v.provisional,
    excluded_simulator_ids: v.tried,
    ...(v.pin === undefined ? {} : { access_code: v.pin }),
  };
}
