import { describe, expect, it } from 'vitest';
import { DomainInputError } from '../model/domain-input.error.js';
import { makeBusy, makeClosure, makeRule } from '../testing/availability-rules.js';
import { makeBay, makeFacility, makePricingRule } from '../testing/pricing-catalog.js';
import { formatLocalTime } from '../time/local-time.js';
import { atLocalTime, toLocal } from '../time/zone.js';
import { findAvailability } from './availability.engine.js';
import type { AvailabilityQuery } from './availability.types.js';

const TOR = 'America/Toronto';
const FRI = '2025-08-01';
const at = (date: string, time: string) => atLocalTime(date, time, TOR);
const facility = makeFacility();
const bay = makeBay();
const NOW = at('2025-07-30', '09:00'); // Wednesday: Friday is well inside notice and advance limits

function query(overrides: Partial<AvailabilityQuery> = {}): AvailabilityQuery {
  return { facility, bays: [bay], rules: [makeRule()], now: NOW, date: FRI, duration: 60, ...overrides };
}

/** Local 'HH:MM' starts of one bay's slots: the readable form of an answer. */
function starts(q: AvailabilityQuery, bayIndex = 0): string[] {
  const b = findAvailability(q).bays[bayIndex];
  return (b?.slots ?? []).map((s) => formatLocalTime(toLocal(s.start, TOR).minutes));
}

describe('slot grid and opening hours', () => {
  it('lays slots on the rule grid, each fully inside the opening hours', () => {
    expect(starts(query())).toEqual(['10:00', '11:00', '12:00', '13:00']);
    expect(starts(query({ duration: 90 }))).toEqual(['10:00', '11:00', '12:00']);
    expect(starts(query({ rules: [makeRule({ slot_duration: 30 })], duration: 90 }))).toEqual([
      '10:00',
      '10:30',
      '11:00',
      '11:30',
      '12:00',
      '12:30',
    ]);
  });

  it('every slot lasts exactly the requested duration and carries its business date', () => {
    const slots = findAvailability(query({ duration: 75 })).bays[0]?.slots ?? [];
    expect(slots.length).toBe(3);
    for (const s of slots) {
      expect(s.end - s.start).toBe(75 * 60_000);
      expect(s.duration_minutes).toBe(75);
      expect(s.business_date).toBe(FRI);
    }
  });

  it('lists a Friday 20:00–02:00 rule’s after-midnight slots under Friday, not Saturday', () => {
    const rules = [makeRule({ start_time: '20:00', end_time: '02:00' })];
    const fri = findAvailability(query({ rules })).bays[0]?.slots ?? [];
    expect(fri.map((s) => formatLocalTime(toLocal(s.start, TOR).minutes))).toEqual([
      '20:00',
      '21:00',
      '22:00',
      '23:00',
      '00:00',
      '01:00',
    ]);
    expect(toLocal(fri[5]?.start ?? 0, TOR).date).toBe('2025-08-02');
    expect(fri[5]?.business_date).toBe(FRI);
    const sat = findAvailability(query({ rules, date: '2025-08-02' })).bays[0];
    expect(sat?.slots).toEqual([]);
    expect(sat?.unavailable_reason).toBe('Bay 1 has no opening hours on 2025-08-02');
  });

  it('lets a slot run from one rule window into an adjoining one (opening hours are their union)', () => {
    const rules = [
      makeRule({ start_time: '10:00', end_time: '12:00' }),
      makeRule({ start_time: '12:00', end_time: '13:00' }),
    ];
    expect(starts(query({ rules, duration: 90 }))).toEqual(['10:00', '11:00']);
    const split = [
      makeRule({ start_time: '10:00', end_time: '12:00' }),
      makeRule({ start_time: '13:00', end_time: '15:00' }),
    ];
    expect(starts(query({ rules: split, duration: 90 }))).toEqual(['10:00', '13:00']);
  });

  it('lets a late slot run on into the next day’s window that opens at midnight', () => {
    const rules = [
      makeRule({ start_time: '18:00', end_time: '24:00' }),
      makeRule({ day_of_week: 6, start_time: '00:00', end_time: '02:00' }),
    ];
    expect(starts(query({ rules, duration: 90 }))).toEqual([
      '18:00',
      '19:00',
      '20:00',
      '21:00',
      '22:00',
      '23:00',
    ]);
    expect(
      starts(query({ rules: [makeRule({ start_time: '18:00', end_time: '24:00' })], duration: 90 })),
    ).toHaveLength(5);
  });

  it('offers a week of business dates in one call', () => {
    const rules = [0, 1, 2, 3, 4, 5, 6].map((d) => makeRule({ day_of_week: d }));
    const r = findAvailability(query({ rules, days: 7 }));
    expect(r.bays[0]?.slots.length).toBe(28);
    expect(new Set(r.bays[0]?.slots.map((s) => s.business_date)).size).toBe(7);
    expect(Object.keys(r.occupancy)).toHaveLength(7);
  });
});

describe('bookings, holds and buffers', () => {
  it('keeps buffer_time clear on both sides of a booking', () => {
    const rules = [makeRule({ slot_duration: 30, buffer_time: 15, end_time: '15:00' })];
    const busy = [makeBusy(at(FRI, '12:00'), at(FRI, '13:00'))];
    // 11:00–12:00 ends inside 12:00−15 min; 13:00 starts inside 13:00+15 min.
    expect(starts(query({ rules, busy }))).toEqual(['10:00', '10:30', '13:30', '14:00']);
    expect(starts(query({ rules: [makeRule({ slot_duration: 30 })], busy }))).toEqual([
      '10:00',
      '10:30',
      '11:00',
      '13:00',
    ]);
  });

  it('treats holds like bookings, ignores other bays and the ids it is told to ignore', () => {
    const hold = makeBusy(at(FRI, '11:00'), at(FRI, '12:00'), { kind: 'hold' });
    const other = makeBusy(at(FRI, '10:00'), at(FRI, '14:00'), { simulator_id: 'bay-2' });
    expect(starts(query({ busy: [hold, other] }))).toEqual(['10:00', '12:00', '13:00']);
    expect(starts(query({ busy: [hold, other], ignoreBusyIds: [hold.id] }))).toEqual([
      '10:00',
      '11:00',
      '12:00',
      '13:00',
    ]);
  });

  it('handles overlapping busy intervals (a booking and a hold on top of each other)', () => {
    const busy = [
      makeBusy(at(FRI, '10:30'), at(FRI, '11:30')),
      makeBusy(at(FRI, '11:00'), at(FRI, '12:10'), { kind: 'hold' }),
    ];
    expect(starts(query({ busy }))).toEqual(['13:00']);
  });
});

describe('notice and advance limits', () => {
  const rules = [makeRule({ slot_duration: 30 })];

  it('online: starts no earlier than now + min_advance_hours', () => {
    expect(starts(query({ rules, now: at(FRI, '10:20') }))).toEqual(['11:30', '12:00', '12:30', '13:00']);
    expect(
      starts(
        query({ rules: [makeRule({ slot_duration: 30, min_advance_hours: 0 })], now: at(FRI, '10:30') }),
      )[0],
    ).toBe('10:30');
  });

  it('walk-in channel (the edge) may sell from now on', () => {
    expect(starts(query({ rules, now: at(FRI, '10:20'), channel: 'walk_in' }))[0]).toBe('10:30');
  });

  it('starts no later than now + max_advance_days (calendar days, facility zone)', () => {
    const r7 = [makeRule({ max_advance_days: 7 })];
    const now = at('2025-07-25', '11:30'); // exactly 7 days before Friday 11:30
    expect(starts(query({ rules: r7, now }))).toEqual(['10:00', '11:00']);
    expect(starts(query({ rules: r7, now: at('2025-07-24', '23:00') }))).toEqual([]);
  });

  it('max advance counts calendar days across a DST change (not 24 h multiples)', () => {
    // Now: Sat 2025-03-01 12:00 EST; 8 days later is Sun 2025-03-09 12:00 EDT = 8 × 24 h − 1 h.
    const rules = [makeRule({ day_of_week: 0, start_time: '10:00', end_time: '14:00', max_advance_days: 8 })];
    const now = atLocalTime('2025-03-01', '12:00', TOR);
    expect(starts(query({ rules, now, date: '2025-03-09' }))).toEqual(['10:00', '11:00', '12:00']);
  });
});

describe('bay status and closures', () => {
  it('maintenance until T blocks slots before T only', () => {
    const b = makeBay({ status: 'maintenance', maintenance_until: at(FRI, '11:30') });
    expect(starts(query({ bays: [b] }))).toEqual(['12:00', '13:00']);
    const allDay = makeBay({ status: 'maintenance', maintenance_until: at(FRI, '18:00') });
    expect(findAvailability(query({ bays: [allDay] })).bays[0]?.unavailable_reason).toBe(
      'Bay 1 is in maintenance until 2025-08-01 18:00',
    );
  });

  it('inactive bays and open-ended maintenance offer nothing, with the reason', () => {
    const inactive = findAvailability(query({ bays: [makeBay({ status: 'inactive' })] })).bays[0];
    expect(inactive?.slots).toEqual([]);
    expect(inactive?.unavailable_reason).toBe('Bay 1 is inactive');
    const maint = findAvailability(query({ bays: [makeBay({ status: 'maintenance' })] })).bays[0];
    expect(maint?.slots).toEqual([]);
    expect(maint?.unavailable_reason).toBe('Bay 1 is in maintenance');
  });

  it('facility-wide closures block every bay; bay closures only theirs', () => {
    const bay2 = makeBay({ id: 'bay-2', bay_number: 2, name: 'Bay 2' });
    const rules = [makeRule(), makeRule({ simulator_id: 'bay-2' })];
    const closures = [
      makeClosure(at(FRI, '10:00'), at(FRI, '11:30')),
      makeClosure(at(FRI, '13:00'), at(FRI, '13:01'), { simulator_id: 'bay-2', kind: 'maintenance' }),
    ];
    const q = query({ bays: [bay, bay2], rules, closures });
    expect(starts(q, 0)).toEqual(['12:00', '13:00']);
    expect(starts(q, 1)).toEqual(['12:00']);
  });
});

describe('prices', () => {
  it('prices every slot with its quote, peak rules applying to the slots they cover', () => {
    const rules = [makeRule({ start_time: '16:00', end_time: '20:00' })];
    const peak = makePricingRule({
      id: 'peak',
      name: 'Peak',
      conditions: { days_of_week: [5], start_time: '17:00', end_time: '23:00' },
      price_modifier: 25,
    });
    const slots = findAvailability(query({ rules, pricingRules: [peak], duration: 90 })).bays[0]?.slots ?? [];
    expect(slots.map((s) => s.quote.subtotal_cents)).toEqual([
      6750 + 563, // 16:00–17:30: 30 min of peak
      6750 + 1688, // 17:00–18:30: all 90 min
      6750 + 1688,
    ]);
    for (const s of slots) expect(s.price_cents).toBe(s.quote.total_cents);
  });

  it('computes the day’s occupancy and feeds it to demand rules', () => {
    const bay2 = makeBay({ id: 'bay-2', bay_number: 2, name: 'Bay 2' });
    const rules = [makeRule(), makeRule({ simulator_id: 'bay-2' })];
    // 6 of 8 open bay-hours booked = 75 %.
    const busy = [
      makeBusy(at(FRI, '10:00'), at(FRI, '14:00')),
      makeBusy(at(FRI, '10:00'), at(FRI, '12:00'), { simulator_id: 'bay-2' }),
    ];
    const demand = makePricingRule({
      id: 'd',
      type: 'demand_based',
      conditions: { min_occupancy: 0.7 },
      price_modifier: 10,
    });
    const r = findAvailability(query({ bays: [bay, bay2], rules, busy, pricingRules: [demand] }));
    expect(r.occupancy[FRI]).toBe(0.75);
    expect(r.bays[1]?.slots.map((s) => s.quote.subtotal_cents)).toEqual([4950, 4950]);
    const quiet = findAvailability(
      query({ bays: [bay, bay2], rules, busy, pricingRules: [demand], pricing: { occupancy: 0.5 } }),
    );
    expect(quiet.bays[1]?.slots.map((s) => s.quote.subtotal_cents)).toEqual([4500, 4500]);
  });
});

describe('input validation', () => {
  it('names the bad field', () => {
    expect(() => findAvailability(query({ duration: 0 }))).toThrow(/^duration: /);
    expect(() => findAvailability(query({ duration: 30.5 }))).toThrow(/^duration: /);
    expect(() => findAvailability(query({ date: '2025-02-30' }))).toThrow(/^date: /);
    expect(() => findAvailability(query({ days: 100 }))).toThrow(/^days: /);
    expect(() => findAvailability(query({ simulatorIds: ['nope'] }))).toThrow(
      "simulator_id: unknown bay 'nope'",
    );
    expect(() => findAvailability(query({ rules: [makeRule({ slot_duration: 0 })] }))).toThrow(
      /^rules\[0\]\.slot_duration/,
    );
    expect(() => findAvailability(query({ rules: [makeRule({ day_of_week: 7 })] }))).toThrow(
      /^rules\[0\]\.day_of_week/,
    );
    expect(() => findAvailability(query({ rules: [makeRule({ end_time: '25:00' })] }))).toThrow(
      /^rules\[0\]\.end_time/,
    );
    expect(() => findAvailability(query({ busy: [makeBusy(at(FRI, '12:00'), at(FRI, '11:00'))] }))).toThrow(
      /^busy\[0\]\.end/,
    );
    expect(() => findAvailability(query({ facility: makeFacility({ timezone: 'EST5' }) }))).toThrow(
      DomainInputError,
    );
  });

  it('lists only the requested bays', () => {
    const bay2 = makeBay({ id: 'bay-2', bay_number: 2, name: 'Bay 2' });
    const r = findAvailability(
      query({
        bays: [bay, bay2],
        rules: [makeRule(), makeRule({ simulator_id: 'bay-2' })],
        simulatorIds: ['bay-2'],
      }),
    );
    expect(r.bays.map((b) => b.simulator_id)).toEqual(['bay-2']);
  });
});
