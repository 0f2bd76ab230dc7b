/** Seed table `pricing_rules`, with `modifier_type` added and `conditions` typed. */
export type PricingRuleType = 'time_based' | 'demand_based' | 'member';
export type PricingModifierType = 'percentage' | 'fixed';

export const PRICING_RULE_TYPES: readonly PricingRuleType[] = ['time_based', 'demand_based', 'member'];

/**
 * All present conditions must hold for a rule to apply. Absent = no constraint.
 * Time conditions are facility-local; `end_time` <= `start_time` runs past midnight (a Fri
 * 22:00–02:00 window covers Saturday 00:00–02:00), as in availability rules.
 */
export interface PricingConditions {
  /** 0 = Sunday … 6 = Saturday: the local day on which the window starts. */
  days_of_week?: number[];
  /** 'HH:MM' local; with end_time: the rule applies to the minutes inside the window only. */
  start_time?: string;
  end_time?: string;
  /** demand_based: applies when the facility's occupancy (0–1) is at least this. */
  min_occupancy?: number;
  /** member: the customer's tier must be one of these (e.g. ['gold', 'platinum']). */
  member_tiers?: string[];
  /** member: the customer must carry at least one of these tags. */
  customer_tags?: string[];
  /** member: only for VIP customers (seed `customers.vip_status`). */
  vip_only?: boolean;
  /** Booking length bounds in minutes, inclusive. */
  min_duration?: number;
  max_duration?: number;
}

export interface PricingRule {
  id: string;
  /** `null` = every bay of the facility. */
  simulator_id: string | null;
  name: string;
  type: PricingRuleType;
  conditions: PricingConditions;
  modifier_type: PricingModifierType;
  /**
   * percentage: percentage points (-20 = 20 % off, 25 = 25 % more).
   * fixed: dollars per hour of play inside the rule's window (+5 = $5/h more); may be fractional.
   */
  price_modifier: number;
  /** Higher applies first; ties broken by id so a quote is deterministic. */
  priority: number;
  active: boolean;
  /** The booking's start must lie in [valid_from, valid_until); null = open-ended. Epoch ms. */
  valid_from: number | null;
  valid_until: number | null;
}
