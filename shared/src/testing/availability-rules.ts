import type { AvailabilityRule } from '../model/availability-rule.model.js';
import type { BusyInterval } from '../model/busy-interval.model.js';
import type { Closure } from '../model/closure.model.js';

/** Test builders for availability tests. */
export function makeRule(overrides: Partial<AvailabilityRule> = {}): AvailabilityRule {
  return {
    id: `rule-${overrides.simulator_id ?? 'bay-1'}-${overrides.day_of_week ?? 5}-${overrides.start_time ?? '10:00'}`,
    simulator_id: 'bay-1',
    day_of_week: 5,
    start_time: '10:00',
    end_time: '14:00',
    slot_duration: 60,
    buffer_time: 0,
    max_advance_days: 30,
    min_advance_hours: 1,
    ...overrides,
  };
}

/** The same opening hours on every weekday. */
export function everyDay(overrides: Partial<AvailabilityRule> = {}): AvailabilityRule[] {
  return [0, 1, 2, 3, 4, 5, 6].map((d) => makeRule({ ...overrides, day_of_week: d }));
}

let seq = 0;
export function makeBusy(start: number, end: number, overrides: Partial<BusyInterval> = {}): BusyInterval {
  seq += 1;
  return { id: `busy-${seq}`, simulator_id: 'bay-1', kind: 'booking', start, end, ...overrides };
}

export function makeClosure(start: number, end: number, overrides: Partial<Closure> = {}): Closure {
  seq += 1;
  return {
    id: `closure-${seq}`,
    facility_id: 'fac-1',
    simulator_id: null,
    kind: 'closure',
    start,
    end,
    reason: null,
    ...overrides,
  };
}
