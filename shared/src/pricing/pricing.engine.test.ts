import { describe, expect, it } from 'vitest';
import { DomainInputError } from '../model/domain-input.error.js';
import type { Quote } from '../model/quote.model.js';
import { makeBay, makeFacility, makePricingRule } from '../testing/pricing-catalog.js';
import { atLocalTime } from '../time/zone.js';
import { createPricer, quoteBooking } from './pricing.engine.js';

const TOR = 'America/Toronto';
const facility = makeFacility();
const bay = makeBay();
const at = (date: string, time: string) => atLocalTime(date, time, TOR);
const FRI = '2025-08-01';
const SAT = '2025-08-02';

const peak = makePricingRule({
  id: 'peak',
  name: 'Peak hours',
  conditions: { days_of_week: [5], start_time: '17:00', end_time: '23:00' },
  price_modifier: 25,
});

function ruleLines(q: Quote) {
  return q.lines.filter((l) => l.kind === 'rule').map((l) => [l.rule_id, l.amount_cents]);
}

function sumLines(q: Quote) {
  return q.lines.reduce((s, l) => s + l.amount_cents, 0);
}

describe('quoteBooking: base and tax', () => {
  it('charges the hourly rate prorated by minutes, then tax rounded half away from zero', () => {
    const q = quoteBooking({ facility, bay, rules: [], start: at(FRI, '10:00'), end: at(FRI, '11:30') });
    expect(q.lines.map((l) => [l.kind, l.amount_cents])).toEqual([
      ['base', 6750],
      ['tax', 878], // 6750 × 13 % = 877.5
    ]);
    expect(q.subtotal_cents).toBe(6750);
    expect(q.total_cents).toBe(7628);
    expect(q.lines[0]?.explanation).toBe('Base rate $45.00/h × 90 min');
    expect(q.lines[1]?.explanation).toBe('Tax 13 % on $67.50');
  });

  it('treats missing tax settings as no tax and rejects a bad tax rate', () => {
    const noTax = makeFacility({ settings: {} as never });
    expect(
      quoteBooking({ facility: noTax, bay, rules: [], start: at(FRI, '10:00'), end: at(FRI, '11:00') })
        .total_cents,
    ).toBe(4500);
    const bad = makeFacility({ settings: { tax_rate_bps: 13.5 } });
    expect(() =>
      quoteBooking({ facility: bad, bay, rules: [], start: at(FRI, '10:00'), end: at(FRI, '11:00') }),
    ).toThrow(/tax_rate_bps/);
  });
});

describe('time_based rules', () => {
  it('applies fully inside the window with a human explanation', () => {
    const q = quoteBooking({ facility, bay, rules: [peak], start: at(FRI, '18:00'), end: at(FRI, '19:00') });
    expect(ruleLines(q)).toEqual([['peak', 1125]]);
    expect(q.lines[1]?.explanation).toBe('Peak hours Fri 17:00–23:00: +25 %');
    expect(q.total_cents).toBe(sumLines(q));
  });

  it('prorates a booking that crosses the peak boundary by the minutes inside', () => {
    const q = quoteBooking({ facility, bay, rules: [peak], start: at(FRI, '16:00'), end: at(FRI, '18:00') });
    expect(ruleLines(q)).toEqual([['peak', 1125]]); // 60 of 120 min at +25 %
    expect(q.lines[1]?.explanation).toBe('Peak hours Fri 17:00–23:00: +25 % (60 of 120 min)');
    const tail = quoteBooking({
      facility,
      bay,
      rules: [peak],
      start: at(FRI, '22:30'),
      end: at(FRI, '23:30'),
    });
    expect(ruleLines(tail)).toEqual([['peak', 563]]); // 30 min: 2250 × 25 % = 562.5
  });

  it('does not apply on other days or outside the hours', () => {
    expect(
      ruleLines(
        quoteBooking({ facility, bay, rules: [peak], start: at(SAT, '18:00'), end: at(SAT, '19:00') }),
      ),
    ).toEqual([]);
    expect(
      ruleLines(
        quoteBooking({ facility, bay, rules: [peak], start: at(FRI, '12:00'), end: at(FRI, '13:00') }),
      ),
    ).toEqual([]);
  });

  it('a Friday window past midnight covers early Saturday', () => {
    const late = makePricingRule({
      id: 'late',
      name: 'Late night',
      conditions: { days_of_week: [5], start_time: '22:00', end_time: '02:00' },
      price_modifier: -20,
    });
    const q = quoteBooking({ facility, bay, rules: [late], start: at(SAT, '01:00'), end: at(SAT, '03:00') });
    expect(ruleLines(q)).toEqual([['late', -900]]); // 60 of 120 min at -20 %
    expect(
      ruleLines(
        quoteBooking({ facility, bay, rules: [late], start: at(SAT, '22:00'), end: at(SAT, '23:00') }),
      ),
    ).toEqual([]);
  });

  it('adds a fixed modifier in dollars per hour of play inside the window', () => {
    const fixed = makePricingRule({
      id: 'fx',
      name: 'Evening',
      modifier_type: 'fixed',
      price_modifier: 5,
      conditions: { start_time: '17:00', end_time: '23:00' },
    });
    const q = quoteBooking({ facility, bay, rules: [fixed], start: at(SAT, '16:30'), end: at(SAT, '18:00') });
    expect(ruleLines(q)).toEqual([['fx', 500]]); // 60 min inside × $5/h
    expect(q.lines[1]?.explanation).toBe('Evening 17:00–23:00: +$5.00/h (60 of 90 min)');
  });

  it('prices the real minutes of a DST night (25 h day: 00:00–04:00 is 5 real hours)', () => {
    const night = makePricingRule({
      id: 'n',
      name: 'Night',
      conditions: { start_time: '00:00', end_time: '04:00' },
      price_modifier: 10,
    });
    const q = quoteBooking({
      facility,
      bay,
      rules: [night],
      start: at('2025-11-02', '00:00'),
      end: at('2025-11-02', '04:00'),
    });
    expect(q.duration_minutes).toBe(300);
    expect(q.lines[0]?.amount_cents).toBe(22500);
    expect(ruleLines(q)).toEqual([['n', 2250]]);
  });
});

describe('stacking', () => {
  const member = makePricingRule({
    id: 'gold',
    name: 'Gold members',
    type: 'member',
    conditions: { member_tiers: ['gold'] },
    price_modifier: -10,
    priority: 10,
  });
  const peak20 = makePricingRule({ ...peak, price_modifier: 20, priority: 5 });
  const gold = { customer: { member_tier: 'gold' } };

  it('applies in priority order, percentages on the running price', () => {
    const bay50 = makeBay({ hourly_rate_cents: 5000 });
    const q = quoteBooking({
      facility,
      bay: bay50,
      rules: [peak20, member],
      start: at(FRI, '18:00'),
      end: at(FRI, '19:00'),
      context: gold,
    });
    expect(ruleLines(q)).toEqual([
      ['gold', -500],
      ['peak', 900], // 20 % of 4500, not of 5000
    ]);
    const swapped = quoteBooking({
      facility,
      bay: bay50,
      rules: [{ ...peak20, priority: 20 }, member],
      start: at(FRI, '18:00'),
      end: at(FRI, '19:00'),
      context: gold,
    });
    expect(ruleLines(swapped)).toEqual([
      ['peak', 1000],
      ['gold', -600],
    ]);
  });

  it('breaks priority ties by id so the order is deterministic', () => {
    const a = makePricingRule({ id: 'a', price_modifier: 10 });
    const b = makePricingRule({ id: 'b', price_modifier: -50 });
    const q1 = quoteBooking({ facility, bay, rules: [b, a], start: at(FRI, '10:00'), end: at(FRI, '11:00') });
    const q2 = quoteBooking({ facility, bay, rules: [a, b], start: at(FRI, '10:00'), end: at(FRI, '11:00') });
    expect(ruleLines(q1)).toEqual([
      ['a', 450],
      ['b', -2475],
    ]);
    expect(q2).toEqual(q1);
  });

  it('never takes a segment below zero', () => {
    const free = makePricingRule({ id: 'free', modifier_type: 'fixed', price_modifier: -100 });
    const q = quoteBooking({ facility, bay, rules: [free], start: at(FRI, '10:00'), end: at(FRI, '11:00') });
    expect(ruleLines(q)).toEqual([['free', -4500]]);
    expect(q.total_cents).toBe(0);
  });
});

describe('member and demand rules', () => {
  const member = makePricingRule({
    id: 'm',
    name: 'Members',
    type: 'member',
    conditions: { member_tiers: ['gold', 'platinum'] },
    price_modifier: -20,
  });
  const anyMember = makePricingRule({ id: 'any', name: 'Any member', type: 'member', price_modifier: -5 });
  const student = makePricingRule({
    id: 's',
    name: 'Students',
    type: 'member',
    conditions: { customer_tags: ['student'] },
    price_modifier: -15,
  });
  const vip = makePricingRule({
    id: 'v',
    name: 'VIP',
    type: 'member',
    conditions: { vip_only: true },
    price_modifier: -30,
  });
  const demand = makePricingRule({
    id: 'd',
    name: 'High demand',
    type: 'demand_based',
    conditions: { min_occupancy: 0.8 },
    price_modifier: 10,
  });
  const q = (rules = [member, anyMember, student, vip, demand], context = {}) =>
    ruleLines(
      quoteBooking({ facility, bay, rules, start: at(FRI, '10:00'), end: at(FRI, '11:00'), context }),
    );

  it('matches member tiers, tags and VIP status; nothing for anonymous customers', () => {
    expect(q(undefined, { customer: { member_tier: 'gold' } }).map((l) => l[0])).toEqual(['any', 'm']);
    expect(q(undefined, { customer: { member_tier: 'silver' } }).map((l) => l[0])).toEqual(['any']);
    expect(q(undefined, { customer: { tags: ['student'] } }).map((l) => l[0])).toEqual(['s']);
    expect(q(undefined, { customer: { vip: true } }).map((l) => l[0])).toEqual(['v']);
    expect(q(undefined, {})).toEqual([]);
  });

  it('applies demand pricing only at or above the occupancy threshold', () => {
    expect(q([demand], { occupancy: 0.8 })).toEqual([['d', 450]]);
    expect(q([demand], { occupancy: 0.79 })).toEqual([]);
    expect(q([demand], { occupancy: null })).toEqual([]);
    const pricer = createPricer({
      facility,
      rules: [demand],
      range: { start: at(FRI, '00:00'), end: at(SAT, '00:00') },
    });
    expect(ruleLines(pricer.quote(bay, at(FRI, '10:00'), at(FRI, '11:00'), 0.9))).toEqual([['d', 450]]);
    expect(
      quoteBooking({
        facility,
        bay,
        rules: [demand],
        start: at(FRI, '10:00'),
        end: at(FRI, '11:00'),
        context: { occupancy: 0.9 },
      }).lines[1]?.explanation,
    ).toBe('High demand occupancy ≥ 80 %: +10 %');
  });
});

describe('rule eligibility', () => {
  const base = makePricingRule({ id: 'r', price_modifier: 10 });
  const lines = (rule: typeof base, minutes = 60) =>
    ruleLines(
      quoteBooking({
        facility,
        bay,
        rules: [rule],
        start: at(FRI, '10:00'),
        end: at(FRI, '10:00') + minutes * 60_000,
      }),
    );

  it('skips inactive rules, other bays and bookings outside the validity period', () => {
    expect(lines(base)).toEqual([['r', 450]]);
    expect(lines({ ...base, active: false })).toEqual([]);
    expect(lines({ ...base, simulator_id: 'bay-2' })).toEqual([]);
    expect(lines({ ...base, simulator_id: 'bay-1' })).toEqual([['r', 450]]);
    expect(lines({ ...base, valid_from: at(FRI, '10:01') })).toEqual([]);
    expect(lines({ ...base, valid_until: at(FRI, '10:00') })).toEqual([]);
    expect(lines({ ...base, valid_from: at(FRI, '10:00'), valid_until: at(FRI, '10:01') })).toEqual([
      ['r', 450],
    ]);
  });

  it('honours min and max duration', () => {
    const long = { ...base, conditions: { min_duration: 120 } };
    expect(lines(long, 90)).toEqual([]);
    expect(lines(long, 120)).toEqual([['r', 900]]);
    expect(lines({ ...base, conditions: { max_duration: 60 } }, 90)).toEqual([]);
  });

  it('rejects malformed rules and bookings with the field named', () => {
    const bad = (rule: Partial<typeof base>) => () =>
      quoteBooking({
        facility,
        bay,
        rules: [{ ...base, ...rule }],
        start: at(FRI, '10:00'),
        end: at(FRI, '11:00'),
      });
    expect(bad({ conditions: { start_time: '17:00' } })).toThrow(/start_time and end_time/);
    expect(bad({ conditions: { start_time: '5pm', end_time: '23:00' } })).toThrow(
      /pricing_rules\[0\]\.conditions\.start_time/,
    );
    expect(bad({ conditions: { days_of_week: [7] } })).toThrow(/days_of_week/);
    expect(bad({ conditions: { min_occupancy: 80 } })).toThrow(/min_occupancy/);
    expect(bad({ price_modifier: Number.NaN })).toThrow(/price_modifier/);
    expect(bad({ price_modifier: -120 })).toThrow(/more than 100 %/);
    expect(bad({ modifier_type: 'ratio' as never })).toThrow(DomainInputError);
    expect(() =>
      quoteBooking({ facility, bay, rules: [], start: at(FRI, '11:00'), end: at(FRI, '10:00') }),
    ).toThrow(/end_time/);
  });
});
