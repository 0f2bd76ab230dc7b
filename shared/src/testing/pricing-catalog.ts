import type { Bay } from '../model/bay.model.js';
import type { Facility } from '../model/facility.model.js';
import type { PricingRule } from '../model/pricing-rule.model.js';

/** Test builders for pricing and availability tests. */
export function makeFacility(overrides: Partial<Facility> = {}): Facility {
  return {
    id: 'fac-1',
    name: 'Downtown Golf',
    timezone: 'America/Toronto',
    settings: { tax_rate_bps: 1300 },
    ...overrides,
  };
}

export function makeBay(overrides: Partial<Bay> = {}): Bay {
  return {
    id: 'bay-1',
    facility_id: 'fac-1',
    name: 'Bay 1',
    type: 'trackman',
    bay_number: 1,
    hourly_rate_cents: 4500,
    status: 'active',
    maintenance_until: null,
    ...overrides,
  };
}

export function makePricingRule(overrides: Partial<PricingRule> = {}): PricingRule {
  return {
    id: 'rule-1',
    simulator_id: null,
    name: 'Rule',
    type: 'time_based',
    conditions: {},
    modifier_type: 'percentage',
    price_modifier: 0,
    priority: 0,
    active: true,
    valid_from: null,
    valid_until: null,
    ...overrides,
  };
}
