import {
  type CancellationOutcome,
  type CancellationPolicy,
  evaluateCancellation,
} from '../booking/cancellation-policy.js';

export interface CancellationRefundInput {
  policy: CancellationPolicy;
  priceCents: number;
  /** What is left to refund of the booking's card payments (0: nothing was paid online). */
  paidOnlineCents: number;
  start: number;
  now: number;
}

export interface CancellationRefund extends CancellationOutcome {
  /** `card`: the refund goes back to the card through the provider; `venue`: owed at the venue. */
  via: 'card' | 'venue';
}

/**
 * The refund a cancellation gives. A booking paid online gets the policy's percentage of what was
 * paid (a deposit gets its share of the deposit back, never more than was paid); an unpaid booking
 * keeps today's figure on its price, settled at the venue.
 */
export function cancellationRefund(input: CancellationRefundInput): CancellationRefund {
  const paid = input.paidOnlineCents > 0;
  const outcome = evaluateCancellation({
    policy: input.policy,
    priceCents: paid ? input.paidOnlineCents : input.priceCents,
    start: input.start,
    now: input.now,
  });
  return { ...outcome, via: paid ? 'card' : 'venue' };
}

/** Waits before the next try of a refund Stripe did not answer: 30 s doubling, at most an hour. */
export function refundRetryDelayMs(attempts: number): number {
  const exponent = Math.max(0, Math.min(attempts - 1, 7));
  return Math.min(30_000 * 2 ** exponent, 3_600_000);
}
