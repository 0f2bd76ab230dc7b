import { DomainInputError } from '../model/domain-input.error.js';
import { PRICING_RULE_TYPES, type PricingRule } from '../model/pricing-rule.model.js';
import { parseLocalTime } from '../time/local-time.js';

/** Rejects a malformed rule with the offending field, e.g. `pricing_rules[2].conditions.start_time`. */
export function validatePricingRule(rule: PricingRule, field: string): void {
  if (!PRICING_RULE_TYPES.includes(rule.type)) {
    throw new DomainInputError(`${field}.type`, `unknown rule type '${String(rule.type)}'`);
  }
  if (rule.modifier_type !== 'percentage' && rule.modifier_type !== 'fixed') {
    throw new DomainInputError(`${field}.modifier_type`, `must be 'percentage' or 'fixed'`);
  }
  if (!Number.isFinite(rule.price_modifier)) {
    throw new DomainInputError(`${field}.price_modifier`, 'must be a finite number');
  }
  if (rule.modifier_type === 'percentage' && rule.price_modifier < -100) {
    throw new DomainInputError(`${field}.price_modifier`, 'a percentage cannot take off more than 100 %');
  }
  if (!Number.isFinite(rule.priority)) throw new DomainInputError(`${field}.priority`, 'must be a number');
  if (rule.valid_from !== null && rule.valid_until !== null && rule.valid_until <= rule.valid_from) {
    throw new DomainInputError(`${field}.valid_until`, 'must be after valid_from');
  }
  const c = rule.conditions;
  if (c === null || typeof c !== 'object')
    throw new DomainInputError(`${field}.conditions`, 'must be an object');
  if (c.days_of_week !== undefined) {
    if (
      !Array.isArray(c.days_of_week) ||
      c.days_of_week.some((d) => !Number.isInteger(d) || d < 0 || d > 6)
    ) {
      throw new DomainInputError(
        `${field}.conditions.days_of_week`,
        'must be integers 0 (Sunday) to 6 (Saturday)',
      );
    }
  }
  if ((c.start_time === undefined) !== (c.end_time === undefined)) {
    throw new DomainInputError(`${field}.conditions`, 'start_time and end_time go together');
  }
  if (c.start_time !== undefined) parseLocalTime(c.start_time, `${field}.conditions.start_time`);
  if (c.end_time !== undefined) parseLocalTime(c.end_time, `${field}.conditions.end_time`);
  if (c.min_occupancy !== undefined && !(c.min_occupancy >= 0 && c.min_occupancy <= 1)) {
    throw new DomainInputError(`${field}.conditions.min_occupancy`, 'must be between 0 and 1');
  }
  for (const key of ['min_duration', 'max_duration'] as const) {
    const v = c[key];
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) {
      throw new DomainInputError(`${field}.conditions.${key}`, 'must be a non-negative number of minutes');
    }
  }
}
