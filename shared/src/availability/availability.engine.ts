import type { Bay } from '../model/bay.model.js';
import { DomainInputError } from '../model/domain-input.error.js';
import type { Slot } from '../model/slot.model.js';
import { createPricer, type Pricer } from '../pricing/pricing.engine.js';
import { MINUTE_MS } from '../time/interval.js';
import { addDays, parseLocalDate } from '../time/local-date.js';
import type {
  AvailabilityInput,
  AvailabilityQuery,
  AvailabilityResult,
  BayAvailability,
} from './availability.types.js';
import { validateAvailabilityInput, validateQueryShape } from './availability-input.validate.js';
import { type BayPlan, prepareBayPlans } from './bay-plan.js';
import { occupancyByDate } from './occupancy.js';
import { createCheckContext } from './slot-check.js';
import { type FreeStart, freeStarts } from './slot-grid.js';

/**
 * Free, priced slots per bay for `duration` minutes on `days` business dates from `date`.
 * A slot is on its rule's grid, lies inside opening hours, starts no earlier than the notice
 * (min_advance_hours, online) and no later than max_advance_days after `now`, avoids closures,
 * keeps `buffer_time` clear of every booking and hold, and its bay is active at its start.
 */
export function findAvailability(query: AvailabilityQuery): AvailabilityResult {
  const unpriced = findFreeStarts(query);
  const out: BayAvailability[] = unpriced.bays.map(({ plan, starts }) => {
    const slots = starts.map((free) => unpriced.price(plan, free));
    return {
      simulator_id: plan.bay.id,
      bay_number: plan.bay.bay_number,
      name: plan.bay.name,
      slots,
      unavailable_reason: slots.length > 0 ? null : emptyReason(plan, query.date, unpriced.days),
    };
  });
  return {
    timezone: query.facility.timezone,
    date: query.date,
    days: unpriced.days,
    duration_minutes: query.duration,
    occupancy: unpriced.occupancy,
    bays: out,
  };
}

/** Free starts per bay, not priced yet; `price` turns the ones a caller keeps into slots. */
export interface UnpricedAvailability {
  days: number;
  occupancy: Record<string, number>;
  bays: { plan: BayPlan; starts: FreeStart[] }[];
  price(plan: BayPlan, free: FreeStart): Slot;
}

/**
 * The engine without the pricing of every slot: callers that keep a few slots out of many (the
 * nearest alternatives of a 409) price only those. The slots `price` makes are exactly the ones
 * `findAvailability` lists.
 */
export function findFreeStarts(query: AvailabilityQuery): UnpricedAvailability {
  validateAvailabilityInput(query);
  const days = query.days ?? 1;
  validateQueryShape(query.date, days, query.duration);
  parseLocalDate(query.date, 'date');
  const bays = selectBays(query.bays, query.simulatorIds);
  const plans = prepareBayPlans(query, bays, query.date, days);
  const dates = Array.from({ length: days }, (_, i) => addDays(query.date, i));
  // Occupancy is the facility's, even when only some bays are listed.
  const allPlans =
    query.simulatorIds === undefined ? plans : prepareBayPlans(query, query.bays, query.date, days);
  const occupancy = occupancyByDate(allPlans, dates);
  const durationMs = query.duration * MINUTE_MS;
  const ctx = createCheckContext(query.facility.timezone, query.now, query.channel ?? 'online');
  const pricer = pricerFor(query, plans, durationMs);
  const useDayOccupancy = query.pricing?.occupancy === undefined;

  return {
    days,
    occupancy,
    bays: plans.map((plan) => ({ plan, starts: freeStarts(plan, durationMs, ctx) })),
    price(plan, { start, window }) {
      const end = start + durationMs;
      const quote = pricer.quote(
        plan.bay,
        start,
        end,
        useDayOccupancy ? (occupancy[window.businessDate] ?? 0) : undefined,
      );
      return {
        simulator_id: plan.bay.id,
        start,
        end,
        duration_minutes: query.duration,
        business_date: window.businessDate,
        price_cents: quote.total_cents,
        quote,
      };
    },
  };
}

function selectBays(bays: readonly Bay[], ids: readonly string[] | undefined): readonly Bay[] {
  if (ids === undefined) return bays;
  return ids.map((id) => {
    const bay = bays.find((b) => b.id === id);
    if (bay === undefined) throw new DomainInputError('simulator_id', `unknown bay '${id}'`);
    return bay;
  });
}

/** Rule windows are prepared over exactly the span where slots can lie. */
function pricerFor(input: AvailabilityInput, plans: readonly BayPlan[], durationMs: number): Pricer {
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const p of plans) {
    for (const g of p.grids) {
      if (g.start < start) start = g.start;
      if (g.end + durationMs > end) end = g.end + durationMs;
    }
  }
  if (start >= end) {
    start = input.now;
    end = input.now + 1;
  }
  return createPricer({
    facility: input.facility,
    rules: input.pricingRules ?? [],
    range: { start, end },
    ...(input.pricing === undefined ? {} : { context: input.pricing }),
  });
}

function emptyReason(plan: BayPlan, date: string, days: number): string {
  if (plan.statusReason !== null) return plan.statusReason;
  const label = plan.bay.bay_number === null ? plan.bay.name : `Bay ${plan.bay.bay_number}`;
  if (plan.grids.length === 0) {
    return days === 1
      ? `${label} has no opening hours on ${date}`
      : `${label} has no opening hours from ${date} for ${days} days`;
  }
  return `${label} has no free slot of this length`;
}
