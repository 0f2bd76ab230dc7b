import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChangeHeadWatcher } from './change-head.watcher.js';

describe('ChangeHeadWatcher', () => {
  let heads: Map<string, number>;
  let reads: string[];
  const reader = async (facilityId: string) => {
    reads.push(facilityId);
    return heads.get(facilityId) ?? 0;
  };

  beforeEach(() => {
    vi.useFakeTimers();
    heads = new Map([
      ['a', 5],
      ['b', 1],
    ]);
    reads = [];
  });
  afterEach(() => vi.useRealTimers());

  it('polls each facility once per interval however many subscribers it has', async () => {
    const watcher = new ChangeHeadWatcher(reader, 100);
    for (let i = 0; i < 50; i++) watcher.subscribe('a', () => {});
    watcher.subscribe('b', () => {});
    await vi.advanceTimersByTimeAsync(1_000);
    const perFacility = (id: string) => reads.filter((r) => r === id).length;
    expect(perFacility('a')).toBeGreaterThanOrEqual(10);
    expect(perFacility('a')).toBeLessThanOrEqual(11);
    expect(perFacility('b')).toBe(perFacility('a'));
    expect(watcher.activeFacilities).toBe(2);
    watcher.close();
  });

  it('tells every subscriber of the facility when its head moves, not on the first read', async () => {
    const watcher = new ChangeHeadWatcher(reader, 100);
    const seenA1: number[] = [];
    const seenA2: number[] = [];
    const seenB: number[] = [];
    watcher.subscribe('a', (s) => seenA1.push(s));
    watcher.subscribe('a', (s) => seenA2.push(s));
    watcher.subscribe('b', (s) => seenB.push(s));
    await vi.advanceTimersByTimeAsync(250);
    expect(seenA1).toEqual([]);
    heads.set('a', 7);
    await vi.advanceTimersByTimeAsync(100);
    expect(seenA1).toEqual([7]);
    expect(seenA2).toEqual([7]);
    expect(seenB).toEqual([]);
    await vi.advanceTimersByTimeAsync(500);
    expect(seenA1).toEqual([7]);
    watcher.close();
  });

  it('stops polling a facility when its last subscriber leaves', async () => {
    const watcher = new ChangeHeadWatcher(reader, 100);
    const off1 = watcher.subscribe('a', () => {});
    const off2 = watcher.subscribe('a', () => {});
    await vi.advanceTimersByTimeAsync(150);
    off1();
    expect(watcher.activeFacilities).toBe(1);
    off2();
    expect(watcher.activeFacilities).toBe(0);
    const count = reads.length;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(reads.length).toBe(count);
  });

  it('reads at once when nudged instead of waiting for the next interval', async () => {
    const watcher = new ChangeHeadWatcher(reader, 10_000);
    const seen: number[] = [];
    watcher.subscribe('a', (s) => seen.push(s));
    await vi.advanceTimersByTimeAsync(1);
    heads.set('a', 9);
    watcher.nudge();
    await vi.advanceTimersByTimeAsync(1);
    expect(seen).toEqual([9]);
    watcher.close();
  });

  it('keeps polling after a failed read and reports the error', async () => {
    const errors: unknown[] = [];
    let fail = true;
    const watcher = new ChangeHeadWatcher(
      async (id) => {
        if (fail) throw new Error('database away');
        return reader(id);
      },
      100,
      (e) => errors.push(e),
    );
    const seen: number[] = [];
    watcher.subscribe('a', (s) => seen.push(s));
    await vi.advanceTimersByTimeAsync(150);
    expect(errors.length).toBeGreaterThan(0);
    fail = false;
    await vi.advanceTimersByTimeAsync(100);
    heads.set('a', 6);
    await vi.advanceTimersByTimeAsync(100);
    expect(seen).toEqual([6]);
    watcher.close();
  });

  it('stops everything on close and refuses new subscribers', async () => {
    const watcher = new ChangeHeadWatcher(reader, 100);
    watcher.subscribe('a', () => {});
    await vi.advanceTimersByTimeAsync(150);
    watcher.close();
    const count = reads.length;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(reads.length).toBe(count);
    expect(() => watcher.subscribe('a', () => {})).toThrow(/closed/);
  });
});
