import type { PricingCustomer } from '@clubos/shared/pricing';
import type { AvailabilityService } from '../availability/availability.service.js';

/**
 * Whose price a booking pays, for `member` pricing rules: the customer's own (tier, tags, VIP) or,
 * with `null`, the public price. A customer without a tier (a guest record, an erased customer)
 * prices as the public. Reads the customer only when the facility has rules that depend on them
 * (or its rules are not cached yet).
 */
export async function pricingOf(
  availability: AvailabilityService,
  facilityId: string,
  customerId: string | null,
): Promise<PricingCustomer | null> {
  if (customerId === null) return null;
  const rules = availability.catalogs.peek(facilityId)?.pricingRules;
  return availability.pricingCustomer({ id: customerId, explicit: false }, rules);
}
