import { describe, expect, it } from 'vitest';
import { mergeIntervals, overlaps } from './interval.js';

describe('the interval rules a schedule is built on', () => {
  it('calls touching intervals disjoint whichever comes first', () => {
    expect(overlaps({ start: 10, end: 11 }, { start: 9, end: 10 })).toBe(false);
    expect(overlaps({ start: 9, end: 10 }, { start: 10, end: 11 })).toBe(false);
  });

  it('drops an empty interval even from a list already in order (no zero-length busy window)', () => {
    expect(mergeIntervals([{ start: 5, end: 5 }])).toEqual([]);
    expect(
      mergeIntervals([
        { start: 5, end: 5 },
        { start: 7, end: 8 },
      ]),
    ).toEqual([{ start: 7, end: 8 }]);
    expect(
      mergeIntervals([
        { start: 1, end: 2 },
        { start: 3, end: 3 },
      ]),
    ).toEqual([{ start: 1, end: 2 }]);
  });

  it('drops a reversed interval (end before start) rather than keeping it as busy time', () => {
    expect(mergeIntervals([{ start: 9, end: 4 }])).toEqual([]);
  });
});
