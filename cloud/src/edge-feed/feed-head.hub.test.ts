import { afterEach, describe, expect, it } from 'vitest';
import { FeedHeadHub } from './feed-head.hub.js';

const heads = new Map<string, number>();
let reads: string[][] = [];
let hub: FeedHeadHub;

const make = (intervalMs: number) => {
  reads = [];
  hub = new FeedHeadHub(
    async (ids) => {
      reads.push([...ids]);
      return new Map(ids.filter((id) => heads.has(id)).map((id) => [id, heads.get(id)!]));
    },
    { intervalMs, settleMs: 5 },
  );
  return hub;
};
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterEach(() => {
  hub.close();
  heads.clear();
});

describe('FeedHeadHub', () => {
  it('tells each subscriber of a facility every newer head, from the head it already knows', async () => {
    heads.set('a', 5);
    make(20);
    const seenA: number[] = [];
    const seenLate: number[] = [];
    const seenB: number[] = [];
    hub.subscribe('a', 5, (h) => seenA.push(h));
    // Connected when the head was 3: the move to 5 happened before its first read and is not lost.
    hub.subscribe('a', 3, (h) => seenLate.push(h));
    hub.subscribe('b', 0, (h) => seenB.push(h));
    await tick(60);
    expect(seenA).toEqual([]);
    expect(seenLate).toEqual([5]);
    heads.set('a', 7);
    await tick(60);
    expect(seenA).toEqual([7]);
    expect(seenLate).toEqual([5, 7]);
    expect(seenB).toEqual([]);
    // One query per tick for every watched facility.
    expect(reads.every((ids) => ids.length === 2)).toBe(true);
  });

  it('a nudge reads at once instead of waiting for the interval', async () => {
    heads.set('a', 1);
    make(60_000);
    const seen: number[] = [];
    hub.subscribe('a', 1, (h) => seen.push(h));
    heads.set('a', 2);
    hub.nudge();
    await tick(30);
    expect(seen).toEqual([2]);
  });

  it('reads nothing while no stream is open, and stops when the last one leaves', async () => {
    make(10);
    hub.nudge();
    await tick(40);
    expect(reads).toEqual([]);
    const off = hub.subscribe('a', 0, () => {});
    await tick(40);
    expect(reads.length).toBeGreaterThan(0);
    off();
    await tick(20);
    const count = reads.length;
    await tick(50);
    expect(reads.length).toBe(count);
    expect(hub.watchedFacilities).toBe(0);
  });
});
