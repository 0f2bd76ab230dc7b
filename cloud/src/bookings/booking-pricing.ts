import type { SalesChannel } from '@clubos/shared/availability';
import type { PricingCustomer } from '@clubos/shared/pricing';
import { MINUTE_MS } from '@clubos/shared/time';
import type { AvailabilityService, SlotAlternative } from '../availability/availability.service.js';

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

/**
 * Nearest free slots for a refused request, computed on the facility's full current schedule and
 * priced for the same customer as the request (a member sees their price on the alternatives too).
 */
export async function pricedAlternatives(
  availability: AvailabilityService,
  request: { facilityId: string; simulatorId: string; start: number; duration: number },
  customer: PricingCustomer | null,
  channel: SalesChannel = 'online',
): Promise<SlotAlternative[]> {
  const { facilityId, simulatorId, start, duration } = request;
  const input = await availability.loadInput(facilityId, start, start + duration * MINUTE_MS, {
    channel,
    customer,
  });
  return availability.alternatives(input, simulatorId, start, duration);
}
