import { type LedgerStep, ledgerTotals, refundPaymentStatus } from '@clubos/shared/payments';
import { bookingMoneyOf, setPaymentStatus } from '../bookings/booking-payment-status.js';
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
