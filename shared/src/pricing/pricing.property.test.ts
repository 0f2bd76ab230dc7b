import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { PricingRule } from '../model/pricing-rule.model.js';
import { makeBay, makeFacility, makePricingRule } from '../testing/pricing-catalog.js';
import { formatLocalTime } from '../time/local-time.js';
import { atLocalTime } from '../time/zone.js';
import { quoteBooking } from './pricing.engine.js';

// Dates around both DST transitions of both zones, plus ordinary days.
const ZONES = ['America/Toronto', 'Europe/London'] as const;
const DATES = [
  '2025-03-08',
  '2025-03-09',
  '2025-03-29',
  '2025-03-30',
  '2025-08-01',
  '2025-10-25',
  '2025-10-26',
  '2025-11-01',
  '2025-11-02',
];

const arbRule = (id: string): fc.Arbitrary<PricingRule> =>
  fc
    .record({
      days: fc.option(fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }), {
        nil: undefined,
      }),
      hours: fc.option(fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 23 })), {
        nil: undefined,
      }),
      fixed: fc.boolean(),
      modifier: fc.integer({ min: -100, max: 100 }),
      priority: fc.integer({ min: -3, max: 3 }),
    })
    .map(({ days, hours, fixed, modifier, priority }) =>
      makePricingRule({
        id,
        name: `Rule ${id}`,
        conditions: {
          ...(days === undefined ? {} : { days_of_week: days }),
          ...(hours === undefined
            ? {}
            : { start_time: formatLocalTime(hours[0] * 60), end_time: formatLocalTime(hours[1] * 60) }),
        },
        modifier_type: fixed ? 'fixed' : 'percentage',
        price_modifier: fixed ? modifier / 4 : modifier,
        priority,
      }),
    );

const arbBooking = fc.record({
  zone: fc.constantFrom(...ZONES),
  date: fc.constantFrom(...DATES),
  startHour: fc.integer({ min: 0, max: 23 }),
  startMinute: fc.constantFrom(0, 15, 30, 45),
  minutes: fc.integer({ min: 1, max: 24 }).map((n) => n * 15),
  rate: fc.integer({ min: 0, max: 20_000 }),
  taxBps: fc.integer({ min: 0, max: 2_500 }),
});

/**
 * Independent oracle: a real minute is inside a rule's window when its local wall-clock time is,
 * by luxon's own reading of the instant. (Whole-hour boundaries, where the engine's 'compatible'
 * reading of gap and repeated times matches plain wall-clock membership.)
 */
function insideMinutes(rule: PricingRule, zone: string, start: number, end: number): number {
  const c = rule.conditions;
  const days = c.days_of_week;
  const s = c.start_time === undefined ? null : Number(c.start_time.slice(0, 2)) * 60;
  const e = c.end_time === undefined ? null : Number(c.end_time.slice(0, 2)) * 60;
  let n = 0;
  for (let t = start; t < end; t += 60_000) {
    const local = DateTime.fromMillis(t, { zone });
    const dow = local.weekday % 7;
    const prevDow = (dow + 6) % 7;
    const m = local.hour * 60 + local.minute;
    const dayOk = (d: number) => days === undefined || days.includes(d);
    let inside: boolean;
    if (s === null || e === null) inside = dayOk(dow);
    else if (e > s) inside = dayOk(dow) && m >= s && m < e;
    else inside = (dayOk(dow) && m >= s) || (dayOk(prevDow) && m < e);
    if (inside) n++;
  }
  return n;
}

describe('pricing properties', () => {
  it('quote lines always sum exactly to the total, subtotal + tax = total, and quoting is deterministic', () => {
    fc.assert(
      fc.property(arbBooking, fc.array(arbRule('x'), { maxLength: 5 }), (b, rawRules) => {
        const rules = rawRules.map((r, i) => ({ ...r, id: `r${i}` }));
        const facility = makeFacility({ timezone: b.zone, settings: { tax_rate_bps: b.taxBps } });
        const bay = makeBay({ hourly_rate_cents: b.rate });
        const start = atLocalTime(b.date, formatLocalTime(b.startHour * 60 + b.startMinute), b.zone);
        const req = { facility, bay, rules, start, end: start + b.minutes * 60_000 };
        const q = quoteBooking(req);
        expect(q.lines.reduce((sum, l) => sum + l.amount_cents, 0)).toBe(q.total_cents);
        expect(q.subtotal_cents + q.tax_cents).toBe(q.total_cents);
        expect(q.lines.every((l) => Number.isInteger(l.amount_cents))).toBe(true);
        expect(q.duration_minutes).toBe(b.minutes);
        expect(quoteBooking({ ...req, rules: [...rules].reverse() })).toEqual(q);
      }),
      { numRuns: 300 },
    );
  });

  it('a single rule is charged for exactly the real minutes inside its window (DST days included)', () => {
    fc.assert(
      fc.property(arbBooking, arbRule('only'), (b, rule) => {
        fc.pre(rule.modifier_type === 'percentage' || rule.price_modifier >= 0);
        const facility = makeFacility({ timezone: b.zone, settings: { tax_rate_bps: 0 } });
        const bay = makeBay({ hourly_rate_cents: b.rate });
        const start = atLocalTime(b.date, formatLocalTime(b.startHour * 60 + b.startMinute), b.zone);
        const end = start + b.minutes * 60_000;
        const q = quoteBooking({ facility, bay, rules: [rule], start, end });
        const inside = insideMinutes(rule, b.zone, start, end);
        const expected =
          rule.modifier_type === 'percentage'
            ? ((b.rate * inside) / 60) * (rule.price_modifier / 100)
            : (rule.price_modifier * 100 * inside) / 60;
        const line = q.lines.find((l) => l.kind === 'rule');
        if (inside === 0) {
          expect(line).toBeUndefined();
        } else {
          expect(line?.amount_cents).toBe(
            Math.sign(expected) * Math.round(Math.abs(Math.round(expected * 1e6) / 1e6)) || 0,
          );
        }
      }),
      { numRuns: 400 },
    );
  });
});
