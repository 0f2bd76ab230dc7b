import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { validate } from '../schema/validate.js';
import { expandRecurrence } from './recurrence.js';
import {
  MAX_RECURRENCE_OCCURRENCES,
  type RecurrenceRule,
  RecurrenceRuleSchema,
} from './recurrence.schema.js';

const TORONTO = 'America/Toronto';
const LONDON = 'Europe/London';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const at = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toMillis();
const wall = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toFormat('yyyy-MM-dd HH:mm');
const expand = (start: number, zone: string, rule: RecurrenceRule, durationMinutes = 60) =>
  expandRecurrence({ start, durationMinutes, timeZone: zone, rule });

describe('weekly recurrence across DST', () => {
  it('keeps 19:00 in Toronto through spring-forward (a week is 167 real hours there)', () => {
    const { occurrences } = expand(at('2025-03-02T19:00', TORONTO), TORONTO, { freq: 'weekly', count: 3 });
    expect(occurrences.map((o) => wall(o.start, TORONTO))).toEqual([
      '2025-03-02 19:00',
      '2025-03-09 19:00',
      '2025-03-16 19:00',
    ]);
    expect(occurrences[1]!.start - occurrences[0]!.start).toBe(7 * DAY - HOUR);
    expect(occurrences.map((o) => o.end - o.start)).toEqual([HOUR, HOUR, HOUR]);
    expect(occurrences.map((o) => o.index)).toEqual([0, 1, 2]);
  });

  it('keeps 19:00 in London through fall-back (a week is 169 real hours there)', () => {
    const { occurrences } = expand(at('2025-10-19T19:00', LONDON), LONDON, { freq: 'weekly', count: 3 });
    expect(occurrences.map((o) => `${o.local_date} ${o.local_time}`)).toEqual([
      '2025-10-19 19:00',
      '2025-10-26 19:00',
      '2025-11-02 19:00',
    ]);
    expect(occurrences[1]!.start - occurrences[0]!.start).toBe(7 * DAY + HOUR);
    expect(new Date(occurrences[2]!.start).toISOString()).toBe('2025-11-02T19:00:00.000Z');
  });

  it.each([
    [TORONTO, '2025-03-02', 7 * DAY - HOUR],
    [TORONTO, '2025-10-26', 7 * DAY + HOUR],
    [LONDON, '2025-03-23', 7 * DAY - HOUR],
    [LONDON, '2025-10-19', 7 * DAY + HOUR],
  ])('keeps 19:00 in %s across the transition after %s', (zone, date, realWeek) => {
    const { occurrences } = expand(at(`${date}T19:00`, zone), zone, { freq: 'weekly', count: 2 });
    expect(occurrences.map((o) => wall(o.start, zone).slice(11))).toEqual(['19:00', '19:00']);
    expect(occurrences[1]!.start - occurrences[0]!.start).toBe(realWeek);
  });

  it('moves a wall time that does not exist forward by the gap, and back on the next week', () => {
    const { occurrences } = expand(at('2025-03-02T02:30', TORONTO), TORONTO, { freq: 'weekly', count: 3 });
    expect(occurrences.map((o) => o.local_time)).toEqual(['02:30', '03:30', '02:30']);
    expect(new Date(occurrences[1]!.start).toISOString()).toBe('2025-03-09T07:30:00.000Z');
  });

  it('takes the first of a wall time that happens twice', () => {
    const { occurrences } = expand(at('2025-10-26T01:30', TORONTO), TORONTO, { freq: 'weekly', count: 2 });
    expect(new Date(occurrences[1]!.start).toISOString()).toBe('2025-11-02T05:30:00.000Z'); // 01:30 EDT
  });

  it('honours the interval and an inclusive until date', () => {
    const start = at('2025-01-06T18:00', TORONTO);
    const { occurrences } = expand(start, TORONTO, { freq: 'weekly', interval: 2, until: '2025-02-03' });
    expect(occurrences.map((o) => o.local_date)).toEqual(['2025-01-06', '2025-01-20', '2025-02-03']);
  });

  it('keeps local wall-clock time and the count limit for any start (property)', () => {
    const startArb = fc.record({
      zone: fc.constantFrom(TORONTO, LONDON),
      day: fc.integer({ min: 0, max: 3 * 365 }),
      // 01:00–02:59 is a gap or an overlap in one of the two zones; those are covered above.
      hour: fc.constantFrom(0, ...Array.from({ length: 21 }, (_, i) => i + 3)),
      minute: fc.constantFrom(0, 15, 30, 45),
    });
    const ruleArb = fc.record({
      interval: fc.integer({ min: 1, max: 4 }),
      count: fc.integer({ min: 1, max: 52 }),
    });
    fc.assert(
      fc.property(startArb, ruleArb, fc.integer({ min: 15, max: 300 }), (s, r, minutes) => {
        const first = DateTime.fromObject(
          { year: 2024, month: 1, day: 1, hour: s.hour, minute: s.minute },
          {
            zone: s.zone,
          },
        ).plus({ days: s.day });
        const { occurrences } = expand(first.toMillis(), s.zone, { freq: 'weekly', ...r }, minutes);
        expect(occurrences).toHaveLength(r.count);
        occurrences.forEach((o, i) => {
          const local = DateTime.fromMillis(o.start, { zone: s.zone });
          expect(local.toFormat('HH:mm')).toBe(first.toFormat('HH:mm'));
          expect(local.toISODate()).toBe(first.plus({ weeks: i * r.interval }).toISODate());
          expect(o.end - o.start).toBe(minutes * 60_000);
        });
      }),
    );
  });

  it('stops at the until date and not before (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(TORONTO, LONDON),
        fc.integer({ min: 0, max: 365 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 300 }),
        (zone, day, interval, span) => {
          const first = DateTime.fromObject({ year: 2025, month: 1, day: 1, hour: 20 }, { zone }).plus({
            days: day,
          });
          const until = first.plus({ days: span }).toISODate()!;
          const { occurrences } = expand(first.toMillis(), zone, { freq: 'weekly', interval, until });
          expect(occurrences).toHaveLength(Math.floor(span / (7 * interval)) + 1);
          for (const o of occurrences) expect(o.local_date <= until).toBe(true);
          const last = DateTime.fromMillis(occurrences.at(-1)!.start, { zone });
          expect(last.plus({ weeks: interval }).toISODate()! > until).toBe(true);
        },
      ),
    );
  });
});

describe('monthly recurrence', () => {
  it('skips months without the start day (the 31st) and does not count them', () => {
    const result = expand(at('2025-01-31T19:00', TORONTO), TORONTO, { freq: 'monthly', count: 4 });
    expect(result.occurrences.map((o) => `${o.local_date} ${o.local_time}`)).toEqual([
      '2025-01-31 19:00',
      '2025-03-31 19:00',
      '2025-05-31 19:00',
      '2025-07-31 19:00',
    ]);
    expect(result.skipped).toEqual([
      { month: '2025-02', reason: '2025-02 has no day 31' },
      { month: '2025-04', reason: '2025-04 has no day 31' },
      { month: '2025-06', reason: '2025-06 has no day 31' },
    ]);
  });

  it('reports only skipped months inside the until date', () => {
    const result = expand(at('2025-01-31T19:00', LONDON), LONDON, { freq: 'monthly', until: '2025-05-31' });
    expect(result.occurrences.map((o) => o.local_date)).toEqual(['2025-01-31', '2025-03-31', '2025-05-31']);
    expect(result.skipped.map((s) => s.month)).toEqual(['2025-02', '2025-04']);
  });

  it('keeps day of month and wall time across DST for every day 1–31 (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(TORONTO, LONDON),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 24 }),
        (zone, month, dayOfMonth, interval, count) => {
          const first = DateTime.fromObject({ year: 2024, month, day: 1, hour: 18, minute: 30 }, { zone });
          if (dayOfMonth > first.daysInMonth!) return;
          const start = first.set({ day: dayOfMonth });
          const { occurrences, skipped } = expand(start.toMillis(), zone, {
            freq: 'monthly',
            interval,
            count,
          });
          expect(occurrences).toHaveLength(count);
          for (const o of occurrences) {
            const local = DateTime.fromMillis(o.start, { zone });
            expect([local.day, local.hour, local.minute]).toEqual([dayOfMonth, 18, 30]);
          }
          for (const s of skipped) {
            const m = DateTime.fromISO(`${s.month}-01`, { zone });
            expect(m.daysInMonth! < dayOfMonth).toBe(true);
          }
        },
      ),
    );
  });
});

describe('recurrence limits and bad input', () => {
  const start = at('2025-01-06T18:00', TORONTO);

  it('accepts a series of exactly the cap and refuses a longer one', () => {
    const full = expand(start, TORONTO, { freq: 'weekly', until: '2025-12-29' });
    expect(full.occurrences).toHaveLength(MAX_RECURRENCE_OCCURRENCES);
    expect(() => expand(start, TORONTO, { freq: 'weekly', until: '2026-01-05' })).toThrow(
      `rule.until: the series would have more than ${MAX_RECURRENCE_OCCURRENCES} occurrences; choose an earlier end date`,
    );
    expect(() => expand(start, TORONTO, { freq: 'weekly', count: MAX_RECURRENCE_OCCURRENCES + 1 })).toThrow(
      'rule.count',
    );
  });

  it('needs exactly one end and a sensible rule', () => {
    expect(() => expand(start, TORONTO, { freq: 'weekly' })).toThrow(
      "give exactly one of 'count' and 'until'",
    );
    expect(() => expand(start, TORONTO, { freq: 'weekly', count: 2, until: '2025-02-01' })).toThrow('rule:');
    expect(() => expand(start, TORONTO, { freq: 'weekly', until: '2025-01-05' })).toThrow(
      'rule.until: 2025-01-05 is before the first occurrence on 2025-01-06',
    );
    expect(() => expand(start, TORONTO, { freq: 'weekly', until: '2025-02-30' })).toThrow('rule.until');
    expect(() => expand(start, TORONTO, { freq: 'monthly', interval: 13, count: 2 })).toThrow(
      'rule.interval',
    );
    expect(() => expand(start, 'Mars/Olympus', { freq: 'weekly', count: 2 })).toThrow('timeZone');
    expect(() => expand(start, TORONTO, { freq: 'weekly', count: 2 }, 0)).toThrow('durationMinutes');
  });
});

describe('recurrence rule JSON', () => {
  it('validates the stored shape and names a bad field', () => {
    expect(validate(RecurrenceRuleSchema, { freq: 'weekly', interval: 2, count: 10 }).ok).toBe(true);
    const bad = validate(RecurrenceRuleSchema, { freq: 'daily', count: 500, until: '31/12/2025' });
    expect(bad.ok ? [] : bad.errors.map((e) => e.field)).toEqual(['freq', 'count', 'until']);
  });
});
