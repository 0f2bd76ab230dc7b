import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { makeRule } from '../testing/availability-rules.js';
import { makeBay, makeFacility } from '../testing/pricing-catalog.js';
import { addDays, dayOfWeek } from '../time/local-date.js';
import { formatLocalTime } from '../time/local-time.js';
import { findAvailability } from './availability.engine.js';

/**
 * Every 2025 DST transition of Toronto, London, Sydney and Santiago (which switches at midnight),
 * both directions, at every whole start hour, for
 * windows of 3 h, 6 h (some crossing midnight) and 24 h. Expected slots come from an independent
 * oracle: luxon's reading of every real minute around the transition, with a window defined as
 * "the real minutes whose local wall-clock time lies in [start, end) of the business date
 * (or, past midnight, before `end` on the next date)".
 */
const ZONES = ['America/Toronto', 'Europe/London', 'Australia/Sydney', 'America/Santiago'];

/** Every date in 2025 on which the zone's offset changes (found by scanning, not hand-listed). */
function transitions(zone: string): { zone: string; date: string; kind: 'spring' | 'fall' }[] {
  const out: { zone: string; date: string; kind: 'spring' | 'fall' }[] = [];
  let prev = DateTime.fromISO('2024-12-31T12:00:00', { zone });
  for (let d = 0; d < 366; d++) {
    const cur = prev.plus({ days: 1 });
    if (cur.offset !== prev.offset) {
      out.push({ zone, date: cur.toISODate() as string, kind: cur.offset > prev.offset ? 'spring' : 'fall' });
    }
    prev = cur;
  }
  return out;
}

const TRANSITIONS = ZONES.flatMap(transitions);

it('finds both transitions of every zone in 2025', () => {
  expect(TRANSITIONS.map((t) => `${t.zone} ${t.date} ${t.kind}`)).toEqual([
    'America/Toronto 2025-03-09 spring',
    'America/Toronto 2025-11-02 fall',
    'Europe/London 2025-03-30 spring',
    'Europe/London 2025-10-26 fall',
    'Australia/Sydney 2025-04-06 fall',
    'Australia/Sydney 2025-10-05 spring',
    'America/Santiago 2025-04-06 fall',
    'America/Santiago 2025-09-07 spring',
  ]);
});

const MIN = 60_000;
const STEP = 30;
const DURATION = 60;

interface LocalMinute {
  ms: number;
  date: string;
  minute: number;
}

/** Luxon's local date and minute of every real minute from `fromDate` 00:00 UTC−1 d for 5 days. */
function minutesAround(zone: string, fromDate: string): LocalMinute[] {
  const start = DateTime.fromISO(`${fromDate}T00:00:00Z`).toMillis() - 86_400_000;
  const out: LocalMinute[] = [];
  for (let ms = start; ms < start + 5 * 86_400_000; ms += MIN) {
    const l = DateTime.fromMillis(ms, { zone });
    out.push({ ms, date: l.toISODate() as string, minute: l.hour * 60 + l.minute });
  }
  return out;
}

function oracleStarts(minutes: LocalMinute[], business: string, s: number, e: number): number[] {
  const next = addDays(business, 1);
  const inside = minutes.filter(
    (m) =>
      (m.date === business && m.minute >= s && (e > s ? m.minute < e : true)) ||
      (e <= s && m.date === next && m.minute < e),
  );
  if (inside.length === 0) return [];
  const first = (inside[0] as LocalMinute).ms;
  const last = (inside[inside.length - 1] as LocalMinute).ms + MIN;
  // The window must be one contiguous run of real minutes, well inside the oracle's span.
  expect(inside.length).toBe((last - first) / MIN);
  expect(last).toBeLessThan((minutes[minutes.length - 1] as LocalMinute).ms);
  const out: number[] = [];
  for (let t = first; t + DURATION * MIN <= last; t += STEP * MIN) out.push(t);
  return out;
}

describe.each(TRANSITIONS)('DST $kind $date in $zone', ({ zone, date }) => {
  const minutes = minutesAround(zone, addDays(date, -1));
  const facility = makeFacility({ timezone: zone });
  const bay = makeBay();
  const now = DateTime.fromISO(`${addDays(date, -10)}T12:00:00`, { zone }).toMillis();

  for (const business of [addDays(date, -1), date]) {
    for (const hours of [3, 6, 24]) {
      it(`business date ${business}, ${hours} h windows at every start hour`, () => {
        for (let h = 0; h < 24; h++) {
          const s = h * 60;
          const e = ((h + hours) % 24) * 60;
          const rule = makeRule({
            day_of_week: dayOfWeek(business),
            start_time: formatLocalTime(s),
            end_time: formatLocalTime(e),
            slot_duration: STEP,
            min_advance_hours: 0,
          });
          const result = findAvailability({
            facility,
            bays: [bay],
            rules: [rule],
            now,
            date: business,
            duration: DURATION,
          });
          const slots = result.bays[0]?.slots ?? [];
          const expected = oracleStarts(minutes, business, s, e);
          expect(
            slots.map((x) => x.start),
            `start hour ${h}`,
          ).toEqual(expected);
          for (const x of slots) expect(x.end - x.start).toBe(DURATION * MIN);
        }
      });
    }
  }
});

describe('DST examples, spelled out', () => {
  const localStarts = (zone: string, business: string) => {
    const rule = makeRule({
      day_of_week: dayOfWeek(business),
      start_time: '22:00',
      end_time: '04:00',
      min_advance_hours: 0,
    });
    const now = DateTime.fromISO(`${addDays(business, -3)}T12:00:00`, { zone }).toMillis();
    const r = findAvailability({
      facility: makeFacility({ timezone: zone }),
      bays: [makeBay()],
      rules: [rule],
      now,
      date: business,
      duration: 60,
    });
    return (r.bays[0]?.slots ?? []).map((s) => DateTime.fromMillis(s.start, { zone }).toFormat('HH:mm ZZZZ'));
  };

  it('spring-forward night: the 02:00 hour does not exist, so one slot fewer', () => {
    expect(localStarts('America/Toronto', '2025-03-08')).toEqual([
      '22:00 EST',
      '23:00 EST',
      '00:00 EST',
      '01:00 EST',
      '03:00 EDT',
    ]);
  });

  it('fall-back night: 01:00 happens twice and both hours are sold', () => {
    expect(localStarts('America/Toronto', '2025-11-01')).toEqual([
      '22:00 EDT',
      '23:00 EDT',
      '00:00 EDT',
      '01:00 EDT',
      '01:00 EST',
      '02:00 EST',
      '03:00 EST',
    ]);
  });
});
