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

  it('computes a listing once for concurrent misses of the same version, then serves it cached', async () => {
    const cache = new ListingCache(1_000, 10);
    let runs = 0;
    let finish!: (body: Buffer) => void;
    const compute = () => {
      runs++;
      return new Promise<Buffer>((resolve) => {
        finish = resolve;
      });
    };
    const waiting = Array.from({ length: 16 }, () => cache.getOrCompute('k', 'v1', compute));
    await Promise.resolve();
    finish(Buffer.from('{"a":1}'));
    const bodies = await Promise.all(waiting);
    expect(runs).toBe(1);
    expect(new Set(bodies.map(String))).toEqual(new Set(['{"a":1}']));
    expect((await cache.getOrCompute('k', 'v1', compute)).toString()).toBe('{"a":1}');
    expect(runs).toBe(1);
  });

  it('computes a new version afresh, and keeps the newest when an older one finishes last', async () => {
    const cache = new ListingCache(1_000, 10);
    const finishers: ((body: Buffer) => void)[] = [];
    const compute = () => new Promise<Buffer>((resolve) => finishers.push(resolve));
    const older = cache.getOrCompute('k', 'v1', compute);
    const newer = cache.getOrCompute('k', 'v2', compute);
    await Promise.resolve();
    expect(finishers).toHaveLength(2);
    finishers[1]!(Buffer.from('new'));
    await newer;
    finishers[0]!(Buffer.from('old'));
    expect((await older).toString()).toBe('old');
    expect(cache.get('k', 'v2')?.toString()).toBe('new');
  });

  it('serves an expired listing of an unchanged version while one refresh runs behind it', async () => {
    let clock = 0;
    const cache = new ListingCache(1_000, 10, () => clock, 4_000);
    let runs = 0;
    const finishers: ((body: Buffer) => void)[] = [];
    const compute = () => {
      runs++;
      return new Promise<Buffer>((resolve) => finishers.push(resolve));
    };
    const first = cache.getOrCompute('k', 'v1', compute);
    await Promise.resolve();
    finishers[0]!(Buffer.from('at 0'));
    expect((await first).toString()).toBe('at 0');
    clock = 1_500;
    // Past its time to live: answered at once with the old bytes, and ONE refresh starts.
    const during = await Promise.all([
      cache.getOrCompute('k', 'v1', compute),
      cache.getOrCompute('k', 'v1', compute),
    ]);
    expect(during.map(String)).toEqual(['at 0', 'at 0']);
    await Promise.resolve();
    expect(runs).toBe(2);
    finishers[1]!(Buffer.from('at 1500'));
    await new Promise((resolve) => setImmediate(resolve));
    expect((await cache.getOrCompute('k', 'v1', compute)).toString()).toBe('at 1500');
    // Too old to serve (beyond ttl + stale): the request waits for a fresh one.
    clock = 1_500 + 5_000;
    const late = cache.getOrCompute('k', 'v1', compute);
    await Promise.resolve();
    expect(runs).toBe(3);
    finishers[2]!(Buffer.from('at 6500'));
    expect((await late).toString()).toBe('at 6500');
    // A changed version is never served stale.
    const changed = cache.getOrCompute('k', 'v2', compute);
    await Promise.resolve();
    expect(runs).toBe(4);
    finishers[3]!(Buffer.from('v2'));
    expect((await changed).toString()).toBe('v2');
  });

  it('does not keep a failed computation: every waiter gets the error and the next request retries', async () => {
    const cache = new ListingCache(1_000, 10);
    let runs = 0;
    const failing = async () => {
      runs++;
      throw new Error('database gone');
    };
    const results = await Promise.allSettled([
      cache.getOrCompute('k', 'v1', failing),
      cache.getOrCompute('k', 'v1', failing),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(runs).toBe(1);
    const body = await cache.getOrCompute('k', 'v1', async () => Buffer.from('ok'));
    expect(body.toString()).toBe('ok');
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
