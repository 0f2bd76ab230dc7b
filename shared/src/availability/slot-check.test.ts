import { describe, expect, it } from 'vitest';
import { makeBusy, makeClosure, makeRule } from '../testing/availability-rules.js';
import { makeBay, makeFacility } from '../testing/pricing-catalog.js';
import { atLocalTime } from '../time/zone.js';
import type { AvailabilityInput } from './availability.types.js';
import { prepareBayPlans } from './bay-plan.js';
import { createCheckContext, rejectAt } from './slot-check.js';

const TOR = 'America/Toronto';
const FRI = '2025-08-01';
const at = (time: string) => atLocalTime(FRI, time, TOR);
const H = 3_600_000;

/** `rejectAt` on its own: each rule must hold even where the grid's fast-forward would not run. */
function reject(
  overrides: Partial<AvailabilityInput>,
  start: number,
  end = start + H,
  now = at('12:00') - 48 * H,
) {
  const input: AvailabilityInput = {
    facility: makeFacility(),
    bays: [makeBay()],
    rules: [makeRule({ end_time: '20:00', buffer_time: 30, max_advance_days: 2 })],
    now,
    ...overrides,
  };
  const [plan] = prepareBayPlans(input, input.bays, FRI, 1);
  if (plan === undefined || plan.grids[0] === undefined) throw new Error('fixture has no window');
  return rejectAt(plan, plan.grids[0], start, end, createCheckContext(TOR, now, input.channel ?? 'online'));
}

describe('rejectAt', () => {
  it('accepts a free slot', () => {
    expect(reject({}, at('12:00'))).toBeNull();
  });

  it('names each broken rule', () => {
    expect(reject({ bays: [makeBay({ status: 'inactive' })] }, at('12:00'))).toBe('bay_inactive');
    expect(
      reject({ bays: [makeBay({ status: 'maintenance', maintenance_until: at('12:30') })] }, at('12:00')),
    ).toBe('bay_maintenance');
    expect(
      reject({ bays: [makeBay({ status: 'maintenance', maintenance_until: at('12:00') })] }, at('12:00')),
    ).toBeNull();
    expect(reject({}, at('19:30'))).toBe('outside_opening_hours');
    expect(reject({}, at('12:00'), at('13:00'), at('11:30'))).toBe('too_soon');
    expect(reject({ channel: 'walk_in' }, at('12:00'), at('13:00'), at('11:30'))).toBeNull();
    expect(reject({}, at('12:00'), at('13:00'), at('11:59') - 48 * H)).toBe('too_far_ahead');
    expect(reject({ closures: [makeClosure(at('12:59'), at('14:00'))] }, at('12:00'))).toBe('closed');
    expect(reject({ busy: [makeBusy(at('13:29'), at('14:00'))] }, at('12:00'))).toBe('conflict');
    expect(reject({ busy: [makeBusy(at('13:30'), at('14:00'))] }, at('12:00'))).toBeNull();
    expect(reject({ busy: [makeBusy(at('11:00'), at('11:31'))] }, at('12:00'))).toBe('conflict');
  });
});
