import { describe, expect, it } from 'vitest';
import { makePricingRule } from '../../../shared/src/testing/pricing-catalog.js';
import type { Principal } from '../auth/index.js';
import { pricedCustomer, pricesByCustomer, pricingKey } from './pricing-customer.js';

const customer = (customerId: string | null): Principal => ({
  kind: 'user',
  role: 'customer',
  userId: 'u1',
  email: 'casey@example.com',
  customerId,
  facilityIds: [],
});
const staffOf = (facilityId: string): Principal => ({
  kind: 'user',
  role: 'staff',
  userId: 'u2',
  email: 'staff@example.com',
  customerId: null,
  facilityIds: [facilityId],
});

describe('pricesByCustomer', () => {
  it('is true only when some rule depends on who books', () => {
    expect(pricesByCustomer([])).toBe(false);
    expect(
      pricesByCustomer([makePricingRule({ type: 'time_based', conditions: { start_time: '17:00' } })]),
    ).toBe(false);
    expect(pricesByCustomer([makePricingRule({ type: 'member', conditions: {} })])).toBe(true);
    for (const conditions of [
      { member_tiers: ['gold'] },
      { customer_tags: ['league'] },
      { vip_only: true },
    ]) {
      expect(pricesByCustomer([makePricingRule({ type: 'time_based', conditions })])).toBe(true);
    }
  });
});

describe('pricedCustomer', () => {
  it('prices an anonymous guest and staff without customer_id publicly', () => {
    expect(pricedCustomer(null, 'f', undefined)).toBeNull();
    expect(pricedCustomer(staffOf('f'), 'f', undefined)).toBeNull();
    expect(pricedCustomer(customer(null), 'f', undefined)).toBeNull();
  });

  it('prices a signed-in customer as themself', () => {
    expect(pricedCustomer(customer('c1'), 'f', undefined)).toEqual({ id: 'c1', explicit: false });
    expect(pricedCustomer(customer('c1'), 'f', 'c1')).toEqual({ id: 'c1', explicit: false });
  });

  it('lets staff name a customer at their own facility only', () => {
    expect(pricedCustomer(staffOf('f'), 'f', 'c1')).toEqual({ id: 'c1', explicit: true });
    expect(() => pricedCustomer(staffOf('g'), 'f', 'c1')).toThrow(/facility f/);
    expect(() => pricedCustomer(customer('c2'), 'f', 'c1')).toThrow(/own prices/);
    expect(() => pricedCustomer(null, 'f', 'c1')).toThrow(/Sign in/);
  });
});

describe('pricingKey', () => {
  it('separates the public price from every customer identity', () => {
    expect(pricingKey(null)).toBe('public');
    expect(pricingKey({})).not.toBe('public');
    expect(pricingKey({ member_tier: 'gold' })).not.toBe(pricingKey({}));
    expect(pricingKey({ member_tier: 'gold', tags: ['b', 'a'] })).toBe(
      pricingKey({ member_tier: 'gold', tags: ['a', 'b'], vip: false }),
    );
  });
});
