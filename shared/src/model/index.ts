export type { AvailabilityRule } from './availability-rule.model.js';
export type { Bay, BayStatus } from './bay.model.js';
export { BAY_STATUSES } from './bay.model.js';
export type { BusyInterval, BusyKind } from './busy-interval.model.js';
export type { Closure, ClosureKind } from './closure.model.js';
export { DomainInputError } from './domain-input.error.js';
export type { Facility, FacilitySettings } from './facility.model.js';
export type {
  PricingConditions,
  PricingModifierType,
  PricingRule,
  PricingRuleType,
} from './pricing-rule.model.js';
export { PRICING_RULE_TYPES } from './pricing-rule.model.js';
export type { Quote, QuoteLine, QuoteLineKind } from './quote.model.js';
export type { Slot } from './slot.model.js';
