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
      listingKey('f', base),
      listingKey('f', { ...base, duration: 90 }),
      listingKey('f', { ...base, date: '2030-01-02' }),
      listingKey('f', { ...base, days: 2 }),
      listingKey('f', { ...base, timezone: 'America/Toronto' }),
      listingKey('f', { ...base, simulator_id: 'b' }),
      listingKey('g', base),
    ]);
    expect(keys.size).toBe(7);
  });
});
