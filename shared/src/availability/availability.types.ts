import type { AvailabilityRule } from '../model/availability-rule.model.js';
import type { Bay } from '../model/bay.model.js';
import type { BusyInterval } from '../model/busy-interval.model.js';
import type { Closure } from '../model/closure.model.js';
import type { Facility } from '../model/facility.model.js';
import type { PricingRule } from '../model/pricing-rule.model.js';
import type { Slot } from '../model/slot.model.js';
import type { PricingContext } from '../pricing/pricing.types.js';

/**
 * 'online' (cloud web/API) must respect every rule's min_advance_hours; 'walk_in' (the facility's
 * own edge: kiosk, console) may sell time starting from now (docs/decisions/006-who-sells-which-time.md).
 */
export type SalesChannel = 'online' | 'walk_in';

/** Everything the engine needs; it does no I/O, the caller loads these rows. */
export interface AvailabilityInput {
  facility: Facility;
  bays: readonly Bay[];
  rules: readonly AvailabilityRule[];
  closures?: readonly Closure[];
  /** Active bookings (pending, confirmed, checked_in) and unexpired holds, without buffer. */
  busy?: readonly BusyInterval[];
  pricingRules?: readonly PricingRule[];
  /** Customer and occupancy for pricing; occupancy defaults to the day's computed occupancy. */
  pricing?: PricingContext;
  now: number;
  channel?: SalesChannel;
  /** Busy intervals to disregard, e.g. the customer's own hold being turned into a booking. */
  ignoreBusyIds?: readonly string[];
}

export interface AvailabilityQuery extends AvailabilityInput {
  /** First facility-local business date 'YYYY-MM-DD'. */
  date: string;
  /** Number of business dates from `date` (1 = that day, 7 = a week). Max 62. */
  days?: number;
  /** Requested play time in minutes. */
  duration: number;
  /** Only these bays (default: all bays given). */
  simulatorIds?: readonly string[];
}

export interface BayAvailability {
  simulator_id: string;
  bay_number: number | null;
  name: string;
  /** Free slots in start order. */
  slots: Slot[];
  /** Why this bay offers nothing at all (maintenance, inactive, no opening hours), else null. */
  unavailable_reason: string | null;
}

export interface AvailabilityResult {
  timezone: string;
  date: string;
  days: number;
  duration_minutes: number;
  /** Facility occupancy 0–1 per business date (booked bay-minutes / open bay-minutes). */
  occupancy: Record<string, number>;
  bays: BayAvailability[];
}

/** Why a given `[start, end)` cannot be sold on a bay, most fundamental first. */
export type SlotRejection =
  | 'bay_inactive'
  | 'bay_maintenance'
  | 'outside_opening_hours'
  | 'off_grid'
  | 'too_soon'
  | 'too_far_ahead'
  | 'closed'
  | 'conflict';
