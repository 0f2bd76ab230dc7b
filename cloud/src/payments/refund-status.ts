import { type Ledger, type LedgerStep, ledgerTotals, refundPaymentStatus } from '@clubos/shared/payments';
import {
  bookingMoneyOf,
  bookingMoneyOfMany,
  setPaymentStatus,
  setPaymentStatuses,
} from '../bookings/booking-payment-status.js';
import type { Executor } from '../db/client.js';

/**
 * In the transaction that applied a refund's state (its webhook, or Stripe's immediate answer): a
 * cancelled booking's `refund_due` becomes `refunded` once its refunds paid out, and back to
 * `refund_due` if one fails afterwards. Only those two statuses are touched, so a paid booking's
 * partial refund by staff leaves it `paid`.
 */
export async function followRefundStatus(tx: Executor, bookingId: string, step: LedgerStep): Promise<void> {
  if (step.outcome !== 'applied' || !step.refund || step.refund.status === 'pending') return;
  const row = await bookingMoneyOf(tx, bookingId);
  if (row?.paymentStatus !== 'refund_due' && row?.paymentStatus !== 'refunded') return;
  const next = refundPaymentStatus(ledgerTotals(step.ledger), row.refundCents);
  await setPaymentStatus(tx, bookingId, next, ['refund_due', 'refunded']);
}

/** A refund step that `followRefundStatus` acts on: applied, and paid out or failed. */
export const settlesRefund = (step: LedgerStep): boolean =>
  step.outcome === 'applied' && step.refund !== undefined && step.refund.status !== 'pending';

/**
 * `followRefundStatus` for a webhook batch, in two statements: each booking with the ledger as its
 * last refund step that `settlesRefund` left it (what the one-by-one path ends on).
 */
export async function followRefundStatuses(tx: Executor, ledgers: Map<string, Ledger>): Promise<void> {
  const money = await bookingMoneyOfMany(tx, [...ledgers.keys()]);
  const changes = [...ledgers].flatMap(([id, ledger]) => {
    const row = money.get(id);
    if (row?.paymentStatus !== 'refund_due' && row?.paymentStatus !== 'refunded') return [];
    const to = refundPaymentStatus(ledgerTotals(ledger), row.refundCents);
    return to === row.paymentStatus ? [] : [{ id, to, was: row.paymentStatus }];
  });
  await setPaymentStatuses(tx, changes);
}
