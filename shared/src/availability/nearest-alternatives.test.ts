import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { everyDay, makeBusy, makeRule } from '../testing/availability-rules.js';
import { makeBay, makeFacility, makePricingRule } from '../testing/pricing-catalog.js';
import { addDays } from '../time/local-date.js';
import { formatLocalTime } from '../time/local-time.js';
import { atLocalTime, localDateOf, toLocal } from '../time/zone.js';
import { findAvailability } from './availability.engine.js';
import { type AlternativesRequest, nearestAlternatives } from './nearest-alternatives.js';

const TOR = 'America/Toronto';
const FRI = '2025-08-01';
const at = (date: string, time: string) => atLocalTime(date, time, TOR);
const hhmm = (ms: number) => formatLocalTime(toLocal(ms, TOR).minutes);
const bays = [1, 2, 3, 4].map((n) => makeBay({ id: `bay-${n}`, bay_number: n, name: `Bay ${n}` }));
const rules = bays.map((b) => makeRule({ simulator_id: b.id, start_time: '10:00', end_time: '22:00' }));

function req(overrides: Partial<AlternativesRequest> = {}): AlternativesRequest {
  return {
    facility: makeFacility(),
    bays,
    rules,
    now: at('2025-07-30', '09:00'),
    simulator_id: 'bay-1',
    start: at(FRI, '18:00'),
    duration: 60,
    ...overrides,
  };
}

describe('nearestAlternatives', () => {
  it('offers the same bay at the closest free times and other bays at the same time', () => {
    const busy = [
      makeBusy(at(FRI, '17:00'), at(FRI, '19:00')),
      makeBusy(at(FRI, '18:00'), at(FRI, '19:00'), { simulator_id: 'bay-2' }),
    ];
    const alt = nearestAlternatives(req({ busy }));
    // 19:00 is 1 h away; 16:00 and 20:00 are both 2 h away and the earlier wins the tie.
    expect(alt.same_bay.map((s) => hhmm(s.start))).toEqual(['19:00', '16:00', '20:00']);
    expect(alt.same_bay.every((s) => s.simulator_id === 'bay-1')).toBe(true);
    expect(alt.other_bays.map((s) => [s.simulator_id, hhmm(s.start)])).toEqual([
      ['bay-3', '18:00'],
      ['bay-4', '18:00'],
    ]);
  });

  it('respects the limit and looks into the neighbouring days when the day is full', () => {
    const busy = [makeBusy(at(FRI, '10:00'), at(FRI, '22:00'))];
    const weekRules = bays.flatMap((b) =>
      everyDay({ simulator_id: b.id, start_time: '10:00', end_time: '22:00' }),
    );
    const alt = nearestAlternatives(req({ busy, rules: weekRules, limit: 2, start: at(FRI, '21:00') }));
    expect(alt.same_bay.map((s) => [toLocal(s.start, TOR).date, hhmm(s.start)])).toEqual([
      ['2025-08-02', '10:00'],
      ['2025-08-02', '11:00'],
    ]);
    expect(alt.other_bays).toHaveLength(2);
  });

  it('returns nothing when nothing fits and validates its input', () => {
    const closedAll = bays.map((b) => makeBay({ ...b, status: 'inactive' }));
    expect(nearestAlternatives(req({ bays: closedAll }))).toEqual({ same_bay: [], other_bays: [] });
    expect(() => nearestAlternatives(req({ limit: 0 }))).toThrow(/^limit: /);
    expect(() => nearestAlternatives(req({ simulator_id: 'nope' }))).toThrow(/^simulator_id: /);
  });
});

describe('nearestAlternatives prices only what it offers', () => {
  /** The alternatives as they were computed before: every free slot of the three days priced. */
  function fromFullListing(request: AlternativesRequest) {
    const date = addDays(localDateOf(request.start, TOR), -1);
    const listing = findAvailability({ ...request, date, days: 3 });
    const same = (listing.bays.find((b) => b.simulator_id === request.simulator_id)?.slots ?? [])
      .filter((s) => s.start !== request.start)
      .sort(
        (a, b) => Math.abs(a.start - request.start) - Math.abs(b.start - request.start) || a.start - b.start,
      )
      .slice(0, 3);
    const others = listing.bays
      .filter((b) => b.simulator_id !== request.simulator_id)
      .sort((a, b) => (a.bay_number ?? 0) - (b.bay_number ?? 0))
      .flatMap((b) => b.slots.filter((s) => s.start === request.start))
      .slice(0, 3);
    return { same_bay: same, other_bays: others };
  }

  it('offers the same slots at the same prices as the full listing, for any schedule and request', () => {
    const priced = bays.map((b, i) => ({ ...b, hourly_rate_cents: 4000 + i * 500 }));
    const pricingRules = [
      makePricingRule({
        id: 'peak',
        conditions: { start_time: '17:00', end_time: '22:00' },
        price_modifier: 25,
      }),
      makePricingRule({
        id: 'busy',
        type: 'demand_based',
        conditions: { min_occupancy: 0.2 },
        price_modifier: 10,
      }),
    ];
    const slot = fc.record({
      bay: fc.integer({ min: 0, max: 3 }),
      day: fc.integer({ min: 0, max: 2 }),
      hour: fc.integer({ min: 10, max: 20 }),
      length: fc.constantFrom(60, 90, 120),
    });
    fc.assert(
      fc.property(
        fc.array(slot, { maxLength: 25 }),
        fc.integer({ min: 10, max: 21 }),
        fc.integer({ min: 0, max: 3 }),
        (booked, hour, bay) => {
          const busy = booked.map((b) => {
            const start = at(addDays(FRI, b.day - 1), `${String(b.hour).padStart(2, '0')}:00`);
            return makeBusy(start, start + b.length * 60_000, { simulator_id: `bay-${b.bay + 1}` });
          });
          const request = req({
            bays: priced,
            rules: bays.flatMap((b) =>
              everyDay({ simulator_id: b.id, start_time: '10:00', end_time: '22:00' }),
            ),
            busy,
            pricingRules,
            simulator_id: `bay-${bay + 1}`,
            start: at(FRI, `${String(hour).padStart(2, '0')}:00`),
          });
          expect(nearestAlternatives(request)).toEqual(fromFullListing(request));
        },
      ),
      { numRuns: 150 },
    );
  });
});
