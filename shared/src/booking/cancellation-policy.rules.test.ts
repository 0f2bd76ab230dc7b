import { describe, expect, it } from 'vitest';
import { DomainInputError } from '../model/domain-input.error.js';
import { cancellationPolicyFromSettings, evaluateCancellation } from './cancellation-policy.js';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 5, 1, 18);
const policy = (free_until_hours: number, late_refund_percent: number) => ({
  free_until_hours,
  late_refund_percent,
});
const evaluate = (p: ReturnType<typeof policy>) => () =>
  evaluateCancellation({ policy: p, priceCents: 4500, start: START, now: START - HOUR });

describe('cancellation policy bounds: a wrong term names itself, never refunds by accident', () => {
  it('accepts the extremes: 0 or 8760 free hours, 0 % or 100 % late refund', () => {
    expect(evaluate(policy(8760, 0))()).toMatchObject({ rule: 'late', free_until: START - 8760 * HOUR });
    expect(evaluate(policy(0, 0))()).toMatchObject({ rule: 'free', free_until: START, refund_cents: 4500 });
    expect(evaluate(policy(2, 100))()).toMatchObject({ rule: 'late', refund_cents: 4500 });
    expect(evaluate(policy(2, 0))()).toMatchObject({ rule: 'late', refund_cents: 0, fee_cents: 4500 });
  });

  it('refuses hours outside 0–8760 or not finite, and percentages outside 0–100 or fractional', () => {
    const hours = new DomainInputError('policy.free_until_hours', 'must be a number of hours from 0 to 8760');
    const pct = new DomainInputError(
      'policy.late_refund_percent',
      'must be a whole percentage from 0 to 100',
    );
    expect(evaluate(policy(8760.5, 50))).toThrow(hours);
    expect(evaluate(policy(-0.5, 50))).toThrow(hours);
    expect(evaluate(policy(Number.POSITIVE_INFINITY, 50))).toThrow(hours);
    expect(evaluate(policy('24' as unknown as number, 50))).toThrow(hours);
    expect(evaluate(policy(24, 101))).toThrow(pct);
    expect(evaluate(policy(24, -1))).toThrow(pct);
    expect(evaluate(policy(24, 50.5))).toThrow(pct);
    expect(evaluate(policy(24, '50' as unknown as number))).toThrow(pct);
  });

  it('takes the defaults for an absent or null policy, and names the settings key for a list', () => {
    expect(cancellationPolicyFromSettings({})).toEqual({ free_until_hours: 24, late_refund_percent: 50 });
    expect(cancellationPolicyFromSettings({ cancellation_policy: null })).toEqual({
      free_until_hours: 24,
      late_refund_percent: 50,
    });
    expect(() => cancellationPolicyFromSettings({ cancellation_policy: [] })).toThrow(
      new DomainInputError('settings.cancellation_policy', 'must be an object'),
    );
    expect(() =>
      cancellationPolicyFromSettings({ cancellation_policy: { late_refund_percent: 101 } }),
    ).toThrow(
      new DomainInputError(
        'settings.cancellation_policy.late_refund_percent',
        'must be a whole percentage from 0 to 100',
      ),
    );
  });

  it('refuses a price, start or now that is not what it says, naming it', () => {
    const base = { policy: policy(24, 50), priceCents: 4500, start: START, now: START - HOUR };
    expect(() => evaluateCancellation({ ...base, priceCents: -1 })).toThrow(
      new DomainInputError('priceCents', 'must be a non-negative whole number of cents'),
    );
    expect(() => evaluateCancellation({ ...base, start: Number.NaN })).toThrow(
      new DomainInputError('start', 'must be an instant in epoch ms'),
    );
    expect(() => evaluateCancellation({ ...base, now: Number.NaN })).toThrow(
      new DomainInputError('now', 'must be an instant in epoch ms'),
    );
  });

  it('says minutes below an hour and tenths of hours from exactly one hour', () => {
    const at = (now: number) =>
      evaluateCancellation({ policy: policy(0, 50), priceCents: 4500, start: START, now }).explanation;
    expect(at(START - HOUR + 1)).toContain('Cancelled 59 min before the start');
    expect(at(START - HOUR)).toContain('Cancelled 1 h before the start');
  });
});
