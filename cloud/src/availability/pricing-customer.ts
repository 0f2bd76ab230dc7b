import type { AvailabilityInput } from '@clubos/shared/availability';
import { DomainError } from '@clubos/shared/errors';
import type { PricingRule } from '@clubos/shared/model';
import type { PricingCustomer } from '@clubos/shared/pricing';
import { canManageFacility, type Principal } from '../auth/index.js';

/**
 * The customer a price is for. `explicit`: named by `customer_id` in the request (staff, admins,
 * edges), so an unknown id is an error; otherwise the signed-in customer themself.
 */
export interface PricedCustomer {
  id: string;
  explicit: boolean;
}

/** Whether any rule's price depends on who books (a `member` rule or a member condition). */
export function pricesByCustomer(rules: readonly PricingRule[]): boolean {
  return rules.some(
    (r) =>
      r.type === 'member' ||
      r.conditions.member_tiers !== undefined ||
      r.conditions.customer_tags !== undefined ||
      r.conditions.vip_only !== undefined,
  );
}

/**
 * Who the caller prices as at `facilityId`. A signed-in customer: themself (a `customer_id` may
 * only name them). Staff, admins and edges: the customer named by `customer_id` at a facility they
 * manage, else the public price. Anonymous guests: the public price (they may not name anyone,
 * whatever email they later check out with).
 */
export function pricedCustomer(
  principal: Principal | null,
  facilityId: string,
  requested: string | undefined,
): PricedCustomer | null {
  const own = principal?.kind === 'user' && principal.role === 'customer' ? principal.customerId : null;
  if (requested === undefined) return own ? { id: own, explicit: false } : null;
  if (!principal) {
    throw new DomainError('UNAUTHORIZED', 'Sign in to see the price of a particular customer', {
      field: 'customer_id',
    });
  }
  if (principal.kind === 'user' && principal.role === 'customer') {
    if (own === requested) return { id: own, explicit: false };
    throw new DomainError('FORBIDDEN', 'A customer sees only their own prices', { field: 'customer_id' });
  }
  if (!canManageFacility(principal, facilityId)) {
    throw new DomainError('FORBIDDEN', `You may not price for customers of facility ${facilityId}`, {
      field: 'customer_id',
    });
  }
  return { id: requested, explicit: true };
}

/** The part of a cached listing's key that says whose prices it holds ('public' for nobody). */
export function pricingKey(customer: PricingCustomer | null): string {
  if (customer === null) return 'public';
  const tags = [...(customer.tags ?? [])].sort();
  return JSON.stringify([customer.member_tier ?? null, customer.vip === true, tags]);
}

/** `input` priced for `customer` (null: left at the public price). */
export function withCustomer(input: AvailabilityInput, customer: PricingCustomer | null): AvailabilityInput {
  return customer ? { ...input, pricing: { ...input.pricing, customer } } : input;
}
