import { describe, expect, it } from 'vitest';
import { makeBay, makeFacility } from '../pricing/pricing.fixtures.js';
import { formatLocalTime } from '../time/local-time.js';
import { atLocalTime, toLocal } from '../time/zone.js';
import { everyDay, makeBusy, makeRule } from './availability.fixtures.js';
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
