import { describe, expect, it } from 'vitest';
import { partitionBatch } from './booking.write-batch.js';

describe('partitionBatch', () => {
  const at = (simulatorId: string, start: number, end: number) => ({ simulatorId, start, end });

  it('keeps the first of overlapping bay-times together and puts the later ones apart', () => {
    const { together, apart } = partitionBatch([
      { ranges: [at('bay1', 0, 60)], idempotencyKey: null },
      { ranges: [at('bay1', 60, 120)], idempotencyKey: null }, // touches, does not overlap
      { ranges: [at('bay1', 30, 90)], idempotencyKey: null }, // overlaps both
      { ranges: [at('bay2', 30, 90)], idempotencyKey: null }, // another bay
      // A group: one of its bays overlaps, so the whole request is apart.
      { ranges: [at('bay3', 0, 60), at('bay2', 80, 100)], idempotencyKey: null },
    ]);
    expect(together).toEqual([0, 1, 3]);
    expect(apart).toEqual([2, 4]);
  });

  it('puts a repeated idempotency key apart', () => {
    const { together, apart } = partitionBatch([
      { ranges: [at('bay1', 0, 60)], idempotencyKey: 'k' },
      { ranges: [at('bay2', 0, 60)], idempotencyKey: 'k' },
      { ranges: [at('bay3', 0, 60)], idempotencyKey: 'other' },
    ]);
    expect(together).toEqual([0, 2]);
    expect(apart).toEqual([1]);
  });
});
