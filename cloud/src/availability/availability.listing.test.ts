import { describe, expect, it } from 'vitest';
import { ListingCache, listingKey } from './availability.listing.js';

describe('listing cache', () => {
  it('reuses a listing only for the same version and within the time to live', () => {
    let clock = 1_000;
    const cache = new ListingCache(1_000, 10, () => clock);
    cache.set('k', 'v1', Buffer.from('{"a":1}'));
    expect(cache.get('k', 'v1')?.toString()).toBe('{"a":1}');
    expect(cache.get('k', 'v2')).toBeUndefined();
    // A version mismatch drops the entry: the next request computes it afresh.
    expect(cache.get('k', 'v1')).toBeUndefined();
    cache.set('k', 'v1', Buffer.from('{"a":2}'));
    clock += 999;
    expect(cache.get('k', 'v1')?.toString()).toBe('{"a":2}');
    clock += 1;
    expect(cache.get('k', 'v1')).toBeUndefined();
  });

  it('stays bounded, dropping the oldest entry first', () => {
    const cache = new ListingCache(60_000, 2);
    cache.set('a', 'v', Buffer.from('1'));
    cache.set('b', 'v', Buffer.from('2'));
    cache.set('c', 'v', Buffer.from('3'));
    expect(cache.size).toBe(2);
    expect(cache.get('a', 'v')).toBeUndefined();
    expect(cache.get('c', 'v')?.toString()).toBe('3');
  });

  it('keys on every query field that changes the answer', () => {
    const base = { facility_id: 'f', date: '2030-01-01', duration: 60 };
    const keys = new Set([
      listingKey('f', base, null),
      listingKey('f', { ...base, duration: 90 }, null),
      listingKey('f', { ...base, date: '2030-01-02' }, null),
      listingKey('f', { ...base, days: 2 }, null),
      listingKey('f', { ...base, timezone: 'America/Toronto' }, null),
      listingKey('f', { ...base, simulator_id: 'b' }, null),
      listingKey('g', base, null),
    ]);
    expect(keys.size).toBe(7);
  });

  it('keys on whose prices the listing shows, not on who asked', () => {
    const base = { facility_id: 'f', date: '2030-01-01', duration: 60 };
    const guest = listingKey('f', base, null);
    const nonMember = listingKey('f', base, { member_tier: null, vip: false, tags: [] });
    const gold = listingKey('f', base, { member_tier: 'gold', vip: false, tags: [] });
    const keys = new Set([
      guest,
      nonMember,
      gold,
      listingKey('f', base, { member_tier: 'silver', vip: false, tags: [] }),
      listingKey('f', base, { member_tier: 'gold', vip: true, tags: [] }),
      listingKey('f', base, { member_tier: 'gold', vip: false, tags: ['league'] }),
    ]);
    expect(keys.size).toBe(6);
    // Two gold members with the same tags share one cached listing, whatever the tag order.
    expect(listingKey('f', { ...base, customer_id: 'c1' }, { member_tier: 'gold', tags: ['a', 'b'] })).toBe(
      listingKey('f', { ...base, customer_id: 'c2' }, { member_tier: 'gold', tags: ['b', 'a'] }),
    );
  });
});
