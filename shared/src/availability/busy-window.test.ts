import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AvailabilityRule } from '../model/availability-rule.model.js';
import type { BusyInterval } from '../model/busy-interval.model.js';
import { makeBay, makeFacility } from '../testing/pricing-catalog.js';
import { formatLocalTime } from '../time/local-time.js';
import { atLocalMinutes } from '../time/zone.js';
import { findAvailability } from './availability.engine.js';
import { listingBusyWindow } from './busy-window.js';

const MIN = 60_000;
/** The widest offsets (+14, −11, −12), DST both ways, a half-hour DST change, and UTC. */
const ZONES = [
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
  'Etc/GMT+12',
  'America/Toronto',
  'Australia/Lord_Howe',
  'UTC',
];
const DATES = ['2025-03-09', '2025-04-06', '2025-10-05', '2025-11-02', '2025-07-18'];

const arbRule = fc.record({
  startMin: fc.oneof(
    fc.constant(0),
    fc.integer({ min: 0, max: 23 * 4 }).map((q) => q * 15),
  ),
  /** Up to a whole day long: windows of 12–24 h run overnight into the next day. */
  lengthMin: fc.oneof(
    fc.constant(24 * 60 - 15),
    fc.integer({ min: 4, max: 24 * 4 - 1 }).map((q) => q * 15),
  ),
  step: fc.constantFrom(15, 30, 60),
  buffer: fc.constantFrom(0, 10, 30, 120, 240),
});

const arbCase = fc.record({
  zone: fc.constantFrom(...ZONES),
  date: fc.constantFrom(...DATES),
  days: fc.integer({ min: 1, max: 3 }),
  duration: fc.constantFrom(15, 60, 150, 720),
  bays: fc.array(arbRule, { minLength: 1, maxLength: 3 }),
  busy: fc.array(
    fc.record({
      bay: fc.integer({ min: 0, max: 2 }),
      /** Anywhere from three days before the date to seven after, and often just outside the window. */
      offsetMin: fc.oneof(
        fc.integer({ min: -3 * 1440, max: 7 * 1440 }),
        fc.integer({ min: -300, max: 30 }),
        fc.integer({ min: 2 * 1440 - 60, max: 4 * 1440 + 300 }),
      ),
      lengthMin: fc.integer({ min: 15, max: 900 }),
    }),
    { maxLength: 60 },
  ),
});

describe('listing busy window', () => {
  it('holds every booking that can change a listing: the listing from the window equals the one from all', () => {
    fc.assert(
      fc.property(arbCase, (c) => {
        const facility = makeFacility({ timezone: c.zone });
        const bays = c.bays.map((_, i) => makeBay({ id: `bay-${i}`, bay_number: i + 1 }));
        const rules: AvailabilityRule[] = c.bays.flatMap((spec, i) =>
          [0, 1, 2, 3, 4, 5, 6].map((day) => ({
            id: `rule-${i}-${day}`,
            simulator_id: `bay-${i}`,
            day_of_week: day,
            start_time: formatLocalTime(spec.startMin),
            end_time: formatLocalTime((spec.startMin + spec.lengthMin) % 1440),
            slot_duration: spec.step,
            buffer_time: spec.buffer,
            max_advance_days: 400,
            min_advance_hours: 0,
          })),
        );
        const midnight = atLocalMinutes(c.date, 0, c.zone);
        const busy: BusyInterval[] = c.busy
          .filter((b) => b.bay < bays.length)
          .map((b, i) => ({
            id: `busy-${i}`,
            simulator_id: `bay-${b.bay}`,
            kind: 'booking',
            start: midnight + b.offsetMin * MIN,
            end: midnight + (b.offsetMin + b.lengthMin) * MIN,
          }));
        const window = listingBusyWindow({ date: c.date, days: c.days, zone: c.zone, rules });
        const query = {
          facility,
          bays,
          rules,
          now: midnight - 30 * 86_400_000,
          date: c.date,
          days: c.days,
          duration: c.duration,
        };
        const inWindow = busy.filter((b) => b.start < window.end && b.end > window.start);
        expect(findAvailability({ ...query, busy: inWindow })).toEqual(findAvailability({ ...query, busy }));
      }),
      { numRuns: 400 },
    );
  });

  it('is about one listing long, not the five days a fixed margin reads', () => {
    const window = listingBusyWindow({
      date: '2025-07-18',
      days: 1,
      zone: 'America/Toronto',
      rules: [{ buffer_time: 15 }],
    });
    expect((window.end - window.start) / 3_600_000).toBe(48 + 0.5);
    expect(window.start).toBe(Date.parse('2025-07-18T04:00:00Z') - 15 * MIN);
  });
});
