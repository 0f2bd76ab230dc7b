import type { PricingRule } from '@clubos/shared/model';
import type { PricingCustomer } from '@clubos/shared/pricing';
import type { AvailabilityService } from '../availability/availability.service.js';

/**
 * Whose price a booking pays, for `member` pricing rules: the customer's own (tier, tags, VIP) or,
 * with `null`, the public price. A customer without a tier (a guest record, an erased customer)
 * prices as the public. Reads the customer only when `rules` depend on them.
 *
 * `rules` must come from a catalog validated against the change log (an `AvailabilityInput` the
 * engine was given: `check`, `loadInput`), never from the unvalidated cache (`CatalogCache.peek`):
 * a cached copy missing a member rule just added would price a member at the public price.
 */
export async function pricingOf(
  availability: AvailabilityService,
  rules: readonly PricingRule[] | undefined,
  customerId: string | null,
): Promise<PricingCustomer | null> {
  if (customerId === null) return null;
  return availability.pricingCustomer({ id: customerId, explicit: false }, rules);
}
