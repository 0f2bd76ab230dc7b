import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainInputError } from '../model/domain-input.error.js';
import { validate } from '../schema/validate.js';
import {
  type CancellationPolicy,
  CancellationPolicySchema,
  cancellationPolicyFromSettings,
  DEFAULT_CANCELLATION_POLICY,
  evaluateCancellation,
} from './cancellation-policy.js';

const HOUR = 3_600_000;
const START = Date.UTC(2025, 7, 3, 23, 0); // 19:00 in Toronto
const policy: CancellationPolicy = { free_until_hours: 24, late_refund_percent: 50 };

describe('cancellation policy', () => {
  it('refunds everything up to and including the free deadline', () => {
    const early = evaluateCancellation({ policy, priceCents: 4500, start: START, now: START - 48 * HOUR });
    expect(early).toMatchObject({ rule: 'free', refund_percent: 100, refund_cents: 4500, fee_cents: 0 });
    expect(early.explanation).toBe(
      'Cancelled 48 h before the start (free cancellation up to 24 h before the start): full refund of 45.00.',
    );
    const atDeadline = evaluateCancellation({
      policy,
      priceCents: 4500,
      start: START,
      now: START - 24 * HOUR,
    });
    expect(atDeadline.rule).toBe('free');
    expect(atDeadline.free_until).toBe(START - 24 * HOUR);
  });

  it('refunds the late percentage after the deadline, rounded down to whole cents', () => {
    const late = evaluateCancellation({ policy, priceCents: 4501, start: START, now: START - 24 * HOUR + 1 });
    expect(late).toMatchObject({ rule: 'late', refund_percent: 50, refund_cents: 2250, fee_cents: 2251 });
    const threeHours = evaluateCancellation({
      policy,
      priceCents: 4000,
      start: START,
      now: START - 3.5 * HOUR,
    });
    expect(threeHours.explanation).toBe(
      'Cancelled 3.5 h before the start, after the free period (free cancellation up to 24 h before the start): ' +
        '50 % of 40.00 refunded (20.00).',
    );
    const minutes = evaluateCancellation({
      policy,
      priceCents: 4000,
      start: START,
      now: START - 20 * 60_000,
    });
    expect(minutes.explanation).toContain('Cancelled 20 min before the start');
  });

  it('refunds nothing from the start instant on', () => {
    for (const now of [START, START + HOUR]) {
      const after = evaluateCancellation({ policy, priceCents: 4500, start: START, now });
      expect(after).toMatchObject({ rule: 'after_start', refund_cents: 0, fee_cents: 4500 });
      expect(after.explanation).toBe('Cancelled after the booking started: no refund of the 45.00 paid.');
    }
    // With no free period, "free until the start" still ends at the start.
    const noFree = { free_until_hours: 0, late_refund_percent: 0 };
    expect(evaluateCancellation({ policy: noFree, priceCents: 100, start: START, now: START - 1 }).rule).toBe(
      'free',
    );
    expect(evaluateCancellation({ policy: noFree, priceCents: 100, start: START, now: START }).rule).toBe(
      'after_start',
    );
  });

  it('never refunds more than the price and never more as the start approaches (property)', () => {
    const anyPolicy = fc.record({
      free_until_hours: fc.double({ min: 0, max: 720, noNaN: true }),
      late_refund_percent: fc.integer({ min: 0, max: 100 }),
    });
    const offset = fc.integer({ min: -30 * 24 * HOUR, max: 30 * 24 * HOUR });
    fc.assert(
      fc.property(anyPolicy, fc.integer({ min: 0, max: 10_000_000 }), offset, offset, (p, price, a, b) => {
        const [earlier, later] = a <= b ? [a, b] : [b, a];
        const first = evaluateCancellation({
          policy: p,
          priceCents: price,
          start: START,
          now: START + earlier,
        });
        const second = evaluateCancellation({
          policy: p,
          priceCents: price,
          start: START,
          now: START + later,
        });
        for (const r of [first, second]) {
          expect(r.refund_cents).toBeGreaterThanOrEqual(0);
          expect(r.refund_cents).toBeLessThanOrEqual(price);
          expect(r.refund_cents + r.fee_cents).toBe(price);
          expect(Number.isInteger(r.refund_cents)).toBe(true);
        }
        expect(second.refund_cents).toBeLessThanOrEqual(first.refund_cents);
      }),
    );
  });

  it('reads the facility policy from settings, defaulting missing keys', () => {
    expect(cancellationPolicyFromSettings({ tax_rate_bps: 1300 })).toEqual(DEFAULT_CANCELLATION_POLICY);
    expect(cancellationPolicyFromSettings({ cancellation_policy: { late_refund_percent: 25 } })).toEqual({
      free_until_hours: 24,
      late_refund_percent: 25,
    });
    expect(
      cancellationPolicyFromSettings({ cancellation_policy: { free_until_hours: 2 } }).free_until_hours,
    ).toBe(2);
  });

  it('names the bad key instead of guessing', () => {
    const bad = (settings: Record<string, unknown>) => () => cancellationPolicyFromSettings(settings);
    expect(bad({ cancellation_policy: { late_refund_percent: 150 } })).toThrow(
      'settings.cancellation_policy.late_refund_percent: must be a whole percentage from 0 to 100',
    );
    expect(bad({ cancellation_policy: { free_until_hours: '24' } })).toThrow(
      'settings.cancellation_policy.free_until_hours',
    );
    expect(bad({ cancellation_policy: 'strict' })).toThrow(DomainInputError);
    expect(() => evaluateCancellation({ policy, priceCents: 12.5, start: START, now: START })).toThrow(
      'priceCents: must be a non-negative whole number of cents',
    );
  });
});

describe('cancellation policy JSON', () => {
  it('validates the settings shape', () => {
    expect(validate(CancellationPolicySchema, DEFAULT_CANCELLATION_POLICY).ok).toBe(true);
    const bad = validate(CancellationPolicySchema, { free_until_hours: -1, late_refund_percent: 12.5 });
    expect(bad.ok ? [] : bad.errors.map((e) => e.field)).toEqual(['free_until_hours', 'late_refund_percent']);
  });
});
