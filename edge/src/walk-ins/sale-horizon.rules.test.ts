import type { AvailabilityRule } from '@clubos/shared/model';
import { describe, expect, it } from 'vitest';
import { offlineSaleHorizon } from './sale-horizon.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const PULL = Date.UTC(2026, 5, 1, 18, 0);

const rule = (min_advance_hours: number, buffer_time: number): AvailabilityRule => ({
  id: `r-${min_advance_hours}-${buffer_time}`,
  simulator_id: 'bay-1',
  day_of_week: 1,
  start_time: '10:00',
  end_time: '22:00',
  slot_duration: 60,
  buffer_time,
  max_advance_days: 14,
  min_advance_hours,
});

describe('the offline sale horizon: how far an edge that lost the cloud may sell', () => {
  it('is unknown (null) until the edge has pulled once', () => {
    expect(offlineSaleHorizon(null, [rule(2, 10)])).toBeNull();
  });

  it('is the last complete pull plus the minimum notice, less the buffer kept before a booking', () => {
    expect(offlineSaleHorizon(PULL, [rule(2, 10)])).toBe(PULL + 2 * HOUR - 10 * MINUTE);
  });

  it('takes the shortest notice and the largest buffer among the bay’s rules, the safe side of each', () => {
    expect(offlineSaleHorizon(PULL, [rule(3, 5), rule(1, 15), rule(2, 0)])).toBe(
      PULL + 1 * HOUR - 15 * MINUTE,
    );
  });

  it('is the pull itself for a bay without rules: nothing beyond what the edge has heard', () => {
    expect(offlineSaleHorizon(PULL, [])).toBe(PULL);
  });
});
