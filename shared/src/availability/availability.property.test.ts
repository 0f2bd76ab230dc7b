import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { AvailabilityRule } from '../model/availability-rule.model.js';
import type { Bay } from '../model/bay.model.js';
import type { BusyInterval } from '../model/busy-interval.model.js';
import type { Closure } from '../model/closure.model.js';
import { makeBay, makeFacility } from '../testing/pricing-catalog.js';
import { addDays, dayOfWeek } from '../time/local-date.js';
import { formatLocalTime } from '../time/local-time.js';
import { findAvailability } from './availability.engine.js';
import type { AvailabilityQuery } from './availability.types.js';

/**
 * Random facilities (DST dates included) checked against an oracle written independently of the
 * engine: luxon for local→UTC, plain loops over the raw input rows. The engine must return exactly
 * the oracle's slots (so an engine that drops good slots fails too), and every slot is checked
 * against each rule directly.
 */
const MIN = 60_000;
const HOUR = 3_600_000;
const DATES = [
  '2025-03-08',
  '2025-03-09',
  '2025-03-29',
  '2025-03-30',
  '2025-07-18',
  '2025-10-25',
  '2025-10-26',
  '2025-11-01',
  '2025-11-02',
];

interface BaySpec {
  status: 'active' | 'maintenance' | 'inactive';
  maintenanceOffsetMin: number | null;
  buffer: number;
  step: number;
  minAdvance: number;
  maxAdvance: number;
  /** Per weekday: null (closed) or [start hour 6–14, length 2–13 h, ending by 03:00]. */
  week: ([number, number] | null)[];
  busy: { offsetMin: number; lengthMin: number; hold: boolean }[];
}

const arbBay: fc.Arbitrary<BaySpec> = fc.record({
  status: fc.constantFrom('active', 'active', 'active', 'maintenance', 'inactive'),
  maintenanceOffsetMin: fc.option(fc.integer({ min: 0, max: 48 * 60 }), { nil: null }),
  buffer: fc.constantFrom(0, 5, 10, 15, 30),
  step: fc.constantFrom(15, 30, 60),
  minAdvance: fc.constantFrom(0, 1, 2, 24),
  maxAdvance: fc.constantFrom(0, 1, 2, 7, 30),
  week: fc.array(
    fc.option(
      fc
        .integer({ min: 6, max: 14 })
        .chain((s) => fc.tuple(fc.constant(s), fc.integer({ min: 2, max: 27 - s }))),
      { nil: null },
    ),
    { minLength: 7, maxLength: 7 },
  ),
  busy: fc.array(
    fc.record({
      offsetMin: fc.integer({ min: -360, max: 54 * 60 }).map((m) => m - (m % 5)),
      lengthMin: fc.integer({ min: 15, max: 240 }),
      hold: fc.boolean(),
    }),
    { maxLength: 8 },
  ),
});

const arbScenario = fc.record({
  zone: fc.constantFrom('America/Toronto', 'Europe/London'),
  date: fc.constantFrom(...DATES),
  days: fc.integer({ min: 1, max: 2 }),
  duration: fc.constantFrom(15, 30, 45, 60, 90, 120),
  nowDaysBefore: fc.constantFrom(0, 1, 2, 8),
  nowMinute: fc.integer({ min: 0, max: 600 }),
  bays: fc.array(arbBay, { minLength: 1, maxLength: 4 }),
  closures: fc.array(
    fc.record({
      bay: fc.option(fc.nat(3), { nil: null }),
      offsetMin: fc.integer({ min: 0, max: 48 * 60 }),
      lengthMin: fc.integer({ min: 1, max: 300 }),
    }),
    { maxLength: 2 },
  ),
});

type Scenario = typeof arbScenario extends fc.Arbitrary<infer T> ? T : never;

/** Local wall time → instant, ambiguous times taking their first occurrence (luxon takes the second). */
function wallTime(date: string, minutes: number, zone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const dt = DateTime.fromObject(
    { year: y, month: m, day: d, hour: Math.floor(minutes / 60), minute: minutes % 60 },
    { zone },
  );
  const earlier = dt.minus({ hours: 1 });
  return earlier.toFormat('yyyy-MM-dd HH:mm') === dt.toFormat('yyyy-MM-dd HH:mm')
    ? earlier.toMillis()
    : dt.toMillis();
}

function build(sc: Scenario): AvailabilityQuery {
  const dayStart = wallTime(sc.date, 0, sc.zone);
  const bays: Bay[] = [];
  const rules: AvailabilityRule[] = [];
  const busy: BusyInterval[] = [];
  sc.bays.forEach((spec, i) => {
    const id = `bay-${i}`;
    bays.push(
      makeBay({
        id,
        bay_number: i + 1,
        status: spec.status,
        maintenance_until:
          spec.maintenanceOffsetMin === null ? null : dayStart + spec.maintenanceOffsetMin * MIN,
      }),
    );
    spec.week.forEach((w, dow) => {
      if (w === null) return;
      rules.push({
        id: `${id}-${dow}`,
        simulator_id: id,
        day_of_week: dow,
        start_time: formatLocalTime(w[0] * 60),
        end_time: formatLocalTime(((w[0] + w[1]) % 24) * 60),
        slot_duration: spec.step,
        buffer_time: spec.buffer,
        max_advance_days: spec.maxAdvance,
        min_advance_hours: spec.minAdvance,
      });
    });
    spec.busy.forEach((b, j) => {
      const start = dayStart + b.offsetMin * MIN;
      busy.push({
        id: `${id}-b${j}`,
        simulator_id: id,
        kind: b.hold ? 'hold' : 'booking',
        start,
        end: start + b.lengthMin * MIN,
      });
    });
  });
  const closures: Closure[] = sc.closures.map((c, k) => ({
    id: `c${k}`,
    facility_id: 'fac-1',
    simulator_id: c.bay === null || c.bay >= bays.length ? null : `bay-${c.bay}`,
    kind: 'closure',
    start: dayStart + c.offsetMin * MIN,
    end: dayStart + (c.offsetMin + c.lengthMin) * MIN,
    reason: null,
  }));
  const now = wallTime(addDays(sc.date, -sc.nowDaysBefore), 12 * 60, sc.zone) + sc.nowMinute * MIN;
  return {
    facility: makeFacility({ timezone: sc.zone }),
    bays,
    rules,
    busy,
    closures,
    now,
    date: sc.date,
    days: sc.days,
    duration: sc.duration,
  };
}

const overlapsRaw = (s1: number, e1: number, s2: number, e2: number) => s1 < e2 && s2 < e1;

/** The slots a careful human would list, straight from the definitions. */
function oracle(q: AvailabilityQuery, sc: Scenario, bayIndex: number): number[] {
  const bay = q.bays[bayIndex] as Bay;
  const spec = sc.bays[bayIndex] as BaySpec;
  if (bay.status === 'inactive' || (bay.status === 'maintenance' && bay.maintenance_until === null))
    return [];
  const blockedUntil =
    bay.status === 'maintenance' ? (bay.maintenance_until as number) : Number.NEGATIVE_INFINITY;
  const dur = q.duration * MIN;
  const maxStart = DateTime.fromMillis(q.now, { zone: sc.zone }).plus({ days: spec.maxAdvance }).toMillis();
  const out: number[] = [];
  for (let i = 0; i < (q.days ?? 1); i++) {
    const business = addDays(q.date, i);
    const w = spec.week[dayOfWeek(business)];
    if (w === null || w === undefined) continue;
    const ws = wallTime(business, w[0] * 60, sc.zone);
    const endHour = w[0] + w[1];
    const we = wallTime(endHour >= 24 ? addDays(business, 1) : business, (endHour % 24) * 60, sc.zone);
    for (let t = ws; t < we; t += spec.step * MIN) {
      const end = t + dur;
      if (end > we || t < blockedUntil) continue;
      if (t < q.now + spec.minAdvance * HOUR || t > maxStart) continue;
      if (
        (q.closures ?? []).some(
          (c) =>
            (c.simulator_id === null || c.simulator_id === bay.id) && overlapsRaw(t, end, c.start, c.end),
        )
      )
        continue;
      const buf = spec.buffer * MIN;
      if (
        (q.busy ?? []).some(
          (b) => b.simulator_id === bay.id && overlapsRaw(t, end, b.start - buf, b.end + buf),
        )
      )
        continue;
      out.push(t);
    }
  }
  return out;
}

describe('availability properties', () => {
  it('returns exactly the slots the definitions allow, for random facilities (DST dates included)', () => {
    fc.assert(
      fc.property(arbScenario, (sc) => {
        const q = build(sc);
        const result = findAvailability(q);
        result.bays.forEach((b, i) => {
          const spec = sc.bays[i] as BaySpec;
          const buf = spec.buffer * MIN;
          for (const s of b.slots) {
            // Each rule on its own, so a failure names the broken one.
            expect(s.end - s.start, 'real duration').toBe(q.duration * MIN);
            const clash = (q.busy ?? []).find(
              (x) =>
                x.simulator_id === b.simulator_id && overlapsRaw(s.start, s.end, x.start - buf, x.end + buf),
            );
            expect(clash, 'overlaps a booking or hold (buffer included)').toBeUndefined();
            expect(s.start, 'min notice').toBeGreaterThanOrEqual(q.now + spec.minAdvance * HOUR);
            expect(s.start, 'max advance').toBeLessThanOrEqual(
              DateTime.fromMillis(q.now, { zone: sc.zone }).plus({ days: spec.maxAdvance }).toMillis(),
            );
            const w = spec.week[dayOfWeek(s.business_date)] as [number, number];
            const ws = wallTime(s.business_date, w[0] * 60, sc.zone);
            const endHour = w[0] + w[1];
            const we = wallTime(
              endHour >= 24 ? addDays(s.business_date, 1) : s.business_date,
              (endHour % 24) * 60,
              sc.zone,
            );
            expect(s.start >= ws && s.end <= we, 'inside opening hours').toBe(true);
            expect(s.price_cents).toBe(s.quote.total_cents);
          }
          expect(
            b.slots.map((s) => s.start),
            `bay ${i}`,
          ).toEqual(oracle(q, sc, i));
        });
      }),
      { numRuns: 250 },
    );
  });
});
