import { type Static, Type } from '@sinclair/typebox';
import { DomainInputError } from '../model/domain-input.error.js';
import { HOUR_MS, MINUTE_MS } from '../time/index.js';

/**
 * A facility's cancellation terms, kept in `facilities.settings.cancellation_policy`:
 * a full refund up to `free_until_hours` before the start, `late_refund_percent` of the price
 * after that deadline, nothing from the start on.
 */
export const CancellationPolicySchema = Type.Object({
  free_until_hours: Type.Number({ minimum: 0, maximum: 8760 }),
  late_refund_percent: Type.Integer({ minimum: 0, maximum: 100 }),
});
export type CancellationPolicy = Static<typeof CancellationPolicySchema>;

export const DEFAULT_CANCELLATION_POLICY: Readonly<CancellationPolicy> = {
  free_until_hours: 24,
  late_refund_percent: 50,
};

export type CancellationRule = 'free' | 'late' | 'after_start';

export interface CancellationOutcome {
  rule: CancellationRule;
  refund_percent: number;
  refund_cents: number;
  /** What the customer keeps paying: price − refund. */
  fee_cents: number;
  /** Last instant (epoch ms) at which cancelling is still free. */
  free_until: number;
  /** For staff and customers, e.g. "Cancelled 3 h before the start, after the free period…". */
  explanation: string;
}

function checkPolicy(policy: CancellationPolicy, field: string): CancellationPolicy {
  const hours = policy.free_until_hours;
  const pct = policy.late_refund_percent;
  if (typeof hours !== 'number' || !Number.isFinite(hours) || hours < 0 || hours > 8760) {
    throw new DomainInputError(`${field}.free_until_hours`, 'must be a number of hours from 0 to 8760');
  }
  if (typeof pct !== 'number' || !Number.isInteger(pct) || pct < 0 || pct > 100) {
    throw new DomainInputError(`${field}.late_refund_percent`, 'must be a whole percentage from 0 to 100');
  }
  return { free_until_hours: hours, late_refund_percent: pct };
}

/**
 * The facility's policy from its settings JSON. Missing keys fall back to the defaults so a venue
 * can override one term; a present but wrong value is an error naming the key, never a silent default.
 */
export function cancellationPolicyFromSettings(
  settings: Readonly<Record<string, unknown>>,
): CancellationPolicy {
  const raw = settings.cancellation_policy;
  if (raw === undefined || raw === null) return { ...DEFAULT_CANCELLATION_POLICY };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new DomainInputError('settings.cancellation_policy', 'must be an object');
  }
  return checkPolicy({ ...DEFAULT_CANCELLATION_POLICY, ...raw }, 'settings.cancellation_policy');
}

function amount(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

function hoursText(ms: number): string {
  if (ms < HOUR_MS) return `${Math.floor(ms / MINUTE_MS)} min`;
  return `${Math.floor((ms / HOUR_MS) * 10) / 10} h`;
}

export interface CancellationInput {
  policy: CancellationPolicy;
  /** What was paid for the booking, integer cents. */
  priceCents: number;
  /** Booking start, epoch ms. */
  start: number;
  /** When the cancellation happens, epoch ms. */
  now: number;
}

/**
 * Refund for cancelling at `now`. The deadline itself is still free; from the start instant on
 * nothing is refunded. The refund is rounded down to whole cents so it never exceeds the price.
 */
export function evaluateCancellation(input: CancellationInput): CancellationOutcome {
  const policy = checkPolicy(input.policy, 'policy');
  const { priceCents, start, now } = input;
  if (!Number.isInteger(priceCents) || priceCents < 0) {
    throw new DomainInputError('priceCents', 'must be a non-negative whole number of cents');
  }
  if (!Number.isFinite(start)) throw new DomainInputError('start', 'must be an instant in epoch ms');
  if (!Number.isFinite(now)) throw new DomainInputError('now', 'must be an instant in epoch ms');

  const freeUntil = start - policy.free_until_hours * HOUR_MS;
  const freeTerms = `free cancellation up to ${policy.free_until_hours} h before the start`;
  const outcome = (rule: CancellationRule, pct: number, explanation: string): CancellationOutcome => {
    const refund = Math.floor((priceCents * pct) / 100);
    return {
      rule,
      refund_percent: pct,
      refund_cents: refund,
      fee_cents: priceCents - refund,
      free_until: freeUntil,
      explanation: explanation.replace('{refund}', amount(refund)).replace('{price}', amount(priceCents)),
    };
  };

  if (now >= start) {
    return outcome('after_start', 0, 'Cancelled after the booking started: no refund of the {price} paid.');
  }
  if (now <= freeUntil) {
    return outcome(
      'free',
      100,
      `Cancelled ${hoursText(start - now)} before the start (${freeTerms}): full refund of {refund}.`,
    );
  }
  const pct = policy.late_refund_percent;
  return outcome(
    'late',
    pct,
    `Cancelled ${hoursText(start - now)} before the start, after the free period (${freeTerms}): ` +
      `${pct} % of {price} refunded ({refund}).`,
  );
}
