import type { LedgerTotals } from './payment-ledger.js';

/** The booking payment statuses that follow its card refunds (the others are not a refund's to change). */
export type RefundPaymentStatus = 'refund_due' | 'refunded';

/**
 * A cancelled booking's `payment_status` as its card refunds stand: `refunded` once the refund it
 * was given (`refundCents`, or whatever was refunded when none was recorded) has paid out with
 * nothing still pending; `refund_due` while one is pending, or after one failed (staff must act).
 * A booking owed a refund at the venue has no card refunds and stays `refund_due`.
 */
export function refundPaymentStatus(totals: LedgerTotals, refundCents: number | null): RefundPaymentStatus {
  const owed = Math.max(refundCents ?? 0, 1);
  return totals.pendingRefundCents === 0 && totals.refundedCents >= owed ? 'refunded' : 'refund_due';
}
