import { type AvailabilityResult, findAvailability } from '@clubos/shared/availability';
import type { AvailabilityRule, Bay, Facility, PricingRule } from '@clubos/shared/model';
import type {
  AdminAvailabilityRule,
  AdminFacility,
  AdminPricingRule,
  AdminSimulator,
} from '../shared-ui/api-types.js';

/** A rule being edited: saved ones keep their id, new ones have `id: null` until POSTed. */
export type DraftAvailabilityRule = Omit<AdminAvailabilityRule, 'id' | 'created_at' | 'facility_id'> & {
  id: string | null;
  key: string;
  removed?: boolean;
};
export type DraftPricingRule = Omit<AdminPricingRule, 'id' | 'created_at' | 'facility_id'> & {
  id: string | null;
  key: string;
};

export const hhmm = (time: string) => time.slice(0, 5);

export function toDraftAvailability(rule: AdminAvailabilityRule): DraftAvailabilityRule {
  const { created_at: _c, facility_id: _f, ...rest } = rule;
  return { ...rest, start_time: hhmm(rule.start_time), end_time: hhmm(rule.end_time), key: rule.id };
}

export function toDraftPricing(rule: AdminPricingRule): DraftPricingRule {
  const { created_at: _c, facility_id: _f, ...rest } = rule;
  return { ...rest, key: rule.id };
}

const instant = (iso: string | null) => (iso ? Date.parse(iso) : null);

function toFacility(f: AdminFacility): Facility {
  return {
    id: f.id,
    name: f.name,
    timezone: f.timezone,
    settings: { tax_rate_bps: 0, ...f.settings } as Facility['settings'],
  };
}

function toBay(s: AdminSimulator): Bay {
  return {
    id: s.id,
    facility_id: s.facility_id,
    name: s.name,
    type: s.type,
    bay_number: s.bay_number,
    hourly_rate_cents: s.hourly_rate_cents,
    status: s.status as Bay['status'],
    maintenance_until: instant(s.maintenance_until),
  };
}

/**
 * What customers would see with the edited (unsaved) rules: the shared availability and pricing
 * engines — the same code the cloud runs — over an empty schedule for one date. Throws the
 * engines' DomainInputError (field + reason) for a rule they would refuse.
 */
export function previewAvailability(input: {
  facility: AdminFacility;
  bays: AdminSimulator[];
  rules: DraftAvailabilityRule[];
  pricing: DraftPricingRule[];
  date: string;
  duration: number;
  now?: number;
}): AvailabilityResult {
  const rules: AvailabilityRule[] = input.rules
    .filter((r) => !r.removed)
    .map((r) => ({
      id: r.id ?? r.key,
      simulator_id: r.simulator_id,
      day_of_week: r.day_of_week,
      start_time: r.start_time,
      end_time: r.end_time,
      slot_duration: r.slot_duration,
      buffer_time: r.buffer_time,
      max_advance_days: r.max_advance_days,
      min_advance_hours: r.min_advance_hours,
    }));
  const pricingRules: PricingRule[] = input.pricing.map((r) => ({
    id: r.id ?? r.key,
    simulator_id: r.simulator_id,
    name: r.name,
    type: r.type as PricingRule['type'],
    conditions: r.conditions as PricingRule['conditions'],
    modifier_type: r.modifier_type as PricingRule['modifier_type'],
    price_modifier: r.price_modifier,
    priority: r.priority,
    active: r.active,
    valid_from: instant(r.valid_from),
    valid_until: instant(r.valid_until),
  }));
  return findAvailability({
    facility: toFacility(input.facility),
    bays: input.bays.map(toBay),
    rules,
    pricingRules,
    busy: [],
    closures: [],
    now: input.now ?? Date.now(),
    channel: 'online',
    date: input.date,
    duration: input.duration,
  });
}
