import type { Interval } from '../time/interval.js';

/** Who is booking, as far as `member` rules care (seed `customers`: tags, vip_status; tier from settings). */
export interface PricingCustomer {
  member_tier?: string | null;
  tags?: readonly string[];
  vip?: boolean;
}

export interface PricingContext {
  customer?: PricingCustomer | null;
  /**
   * Facility occupancy 0–1 for `demand_based` rules. Unknown (null) = no demand rule applies.
   * The availability engine fills it with the day's occupancy when the caller does not.
   */
  occupancy?: number | null;
}

/** A pricing rule's local-time condition turned into real intervals over a range (null = no time limit). */
export type RuleWindows = Interval[] | null;
