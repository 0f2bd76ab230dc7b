import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hitsAny, type Interval, insideAny, mergeIntervals, overlapMs, overlaps } from './interval.js';

const arbInterval = fc
  .tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 100 }))
  .map(([s, len]): Interval => ({ start: s, end: s + len }));
// Queries are never empty: a slot always has a positive duration.
const arbQuery = fc
  .tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 100 }))
  .map(([s, len]): Interval => ({ start: s, end: s + len }));

describe('intervals', () => {
  it('are half-open', () => {
    expect(overlaps({ start: 0, end: 10 }, { start: 10, end: 20 })).toBe(false);
    expect(overlaps({ start: 0, end: 11 }, { start: 10, end: 20 })).toBe(true);
    expect(overlapMs({ start: 0, end: 15 }, { start: 10, end: 20 })).toBe(5);
  });

  it('merge into a sorted disjoint union', () => {
    expect(
      mergeIntervals([
        { start: 5, end: 8 },
        { start: 0, end: 3 },
        { start: 3, end: 4 },
        { start: 6, end: 7 },
        { start: 9, end: 9 },
      ]),
    ).toEqual([
      { start: 0, end: 4 },
      { start: 5, end: 8 },
    ]);
  });

  it('hitsAny / insideAny agree with a linear scan (property)', () => {
    fc.assert(
      fc.property(fc.array(arbInterval, { maxLength: 20 }), arbQuery, (list, q) => {
        const merged = mergeIntervals(list);
        const linearHit = list.some((i) => i.end > i.start && overlaps(i, q));
        expect(hitsAny(merged, q.start, q.end)).toBe(linearHit);
        const linearInside = merged.some((i) => i.start <= q.start && q.end <= i.end);
        expect(insideAny(merged, q.start, q.end)).toBe(linearInside);
      }),
    );
  });
});
