import type { PricingRule } from '../model/pricing-rule.model.js';
import type { PricingContext } from './pricing.types.js';

/**
 * The conditions that do not depend on where the booking falls in local time: who books and how
 * busy the venue is. Checked once per rule per request, not per slot.
 */
export function matchesContext(rule: PricingRule, ctx: PricingContext): boolean {
  const c = rule.conditions;
  if (rule.type === 'demand_based' || c.min_occupancy !== undefined) {
    // Demand pricing needs a known occupancy; guessing would silently change prices.
    if (ctx.occupancy === null || ctx.occupancy === undefined) return false;
    if (ctx.occupancy < (c.min_occupancy ?? 0)) return false;
  }
  const customer = ctx.customer ?? null;
  const hasMemberCondition =
    c.member_tiers !== undefined || c.customer_tags !== undefined || c.vip_only !== undefined;
  if (rule.type === 'member' || hasMemberCondition) {
    if (customer === null) return false;
    if (c.member_tiers !== undefined) {
      const tier = customer.member_tier ?? null;
      if (tier === null || !c.member_tiers.includes(tier)) return false;
    }
    if (c.customer_tags !== undefined && !c.customer_tags.some((t) => customer.tags?.includes(t) === true)) {
      return false;
    }
    if (c.vip_only === true && customer.vip !== true) return false;
    // A member rule with no member condition is for members of any tier.
    if (!hasMemberCondition && (customer.member_tier ?? null) === null) return false;
  }
  return true;
}

/** Conditions on the booking itself: validity period (by start) and length bounds. */
export function matchesBooking(rule: PricingRule, start: number, durationMinutes: number): boolean {
  if (!rule.active) return false;
  if (rule.valid_from !== null && start < rule.valid_from) return false;
  if (rule.valid_until !== null && start >= rule.valid_until) return false;
  const c = rule.conditions;
  if (c.min_duration !== undefined && durationMinutes < c.min_duration) return false;
  if (c.max_duration !== undefined && durationMinutes > c.max_duration) return false;
  return true;
}

/** Priority order: higher priority first, then id, so equal priorities still stack deterministically. */
export function comparePriority(a: PricingRule, b: PricingRule): number {
  return b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
