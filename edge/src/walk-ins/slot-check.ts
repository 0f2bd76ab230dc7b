import type { AlternativeSchema } from '@clubos/shared/api';
import {
  type AvailabilityInput,
  checkBookingRequest,
  nearestAlternatives,
} from '@clubos/shared/availability';
import { DomainError } from '@clubos/shared/errors';
import type { Bay, Facility, Quote, Slot } from '@clubos/shared/model';
import type { Static } from '@sinclair/typebox';
import { loadAvailabilityInput } from '../availability/availability-input.js';
import type { Drizzle } from '../db/database.js';

/** A walk-in the replica says may be sold, with its price. */
export interface SlotPlan {
  facility: Facility;
  bay: Bay;
  start: number;
  end: number;
  durationMinutes: number;
  quote: Quote;
}

export interface SlotRequest {
  simulatorId: string;
  start: number;
  durationMinutes: number;
  /** The booking being re-checked or moved: its own time does not count as taken. */
  ignoreBookingId?: string;
}

/** A free slot offered instead, in the cloud's shape. */
function toAlternative(slot: Slot): Static<typeof AlternativeSchema> {
  return {
    simulator_id: slot.simulator_id,
    start_time: new Date(slot.start).toISOString(),
    end_time: new Date(slot.end).toISOString(),
    price_cents: slot.price_cents,
  };
}

function slotTaken(input: AvailabilityInput, request: SlotRequest, message: string): DomainError {
  const alternatives = nearestAlternatives({
    ...input,
    simulator_id: request.simulatorId,
    start: request.start,
    duration: request.durationMinutes,
  });
  return new DomainError('SLOT_UNAVAILABLE', message, {
    field: 'start_time',
    // As the cloud answers a taken slot: the same bay at other times first, then other bays.
    extra: {
      simulator_id: request.simulatorId,
      alternatives: [...alternatives.same_bay, ...alternatives.other_bays].map(toAlternative),
    },
  });
}

/**
 * Checks one walk-in against the replica with the shared engine (opening hours, maintenance,
 * closures, buffers, overlapping bookings) and prices it. Synchronous and read-only, so the sale
 * runs it again inside its `BEGIN IMMEDIATE` transaction, where the answer cannot change under it.
 */
export function planSlot(db: Drizzle, request: SlotRequest, now: number): SlotPlan {
  const end = request.start + request.durationMinutes * 60_000;
  const input = loadAvailabilityInput(db, now, request.start, end);
  if (!input.bays.some((b) => b.id === request.simulatorId)) {
    throw new DomainError('NOT_FOUND', `bay ${request.simulatorId} does not exist`, {
      field: 'simulator_id',
    });
  }
  const check = checkBookingRequest({
    ...input,
    ...(request.ignoreBookingId === undefined ? {} : { ignoreBusyIds: [request.ignoreBookingId] }),
    simulator_id: request.simulatorId,
    start: request.start,
    duration: request.durationMinutes,
    // Walk-ins start "now", rarely on the online grid.
    requireGrid: false,
  });
  if (!check.ok) {
    if (check.reason === 'conflict') throw slotTaken(input, request, check.message);
    if (check.reason === 'too_soon' || check.reason === 'too_far_ahead') {
      throw new DomainError('VALIDATION_FAILED', check.message, {
        field: 'start_time',
        extra: { reason: check.reason },
      });
    }
    throw new DomainError('BAY_UNAVAILABLE', check.message, {
      field: 'simulator_id',
      extra: { simulator_id: request.simulatorId, reason: check.reason },
    });
  }
  return {
    facility: input.facility,
    bay: input.bays.find((b) => b.id === request.simulatorId)!,
    start: request.start,
    end,
    durationMinutes: request.durationMinutes,
    quote: check.quote,
  };
}

/**
 * Bays that can take `[start, end)` for an existing booking (moving a walk-in whose bay the cloud
 * sold meanwhile), by bay number. Judged as of the booking's start, so a session already under way
 * when the link came back can still move.
 */
export function freeBaysFor(
  db: Drizzle,
  booking: { id: string; start_time: number; end_time: number },
  exclude: ReadonlySet<string>,
  now: number,
): Bay[] {
  const input = loadAvailabilityInput(
    db,
    Math.min(now, booking.start_time),
    booking.start_time,
    booking.end_time,
  );
  const duration = Math.round((booking.end_time - booking.start_time) / 60_000);
  return input.bays.filter(
    (bay) =>
      !exclude.has(bay.id) &&
      checkBookingRequest({
        ...input,
        ignoreBusyIds: [booking.id],
        simulator_id: bay.id,
        start: booking.start_time,
        duration,
        requireGrid: false,
      }).ok,
  );
}
