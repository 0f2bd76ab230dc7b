import { type LedgerStep, ledgerTotals, refundPaymentStatus } from '@clubos/shared/payments';
import { and, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { bookings } from '../db/schema/bookings.schema.js';

/**
 * In the transaction that applied a refund's state (its webhook, or Stripe's immediate answer): a
 * cancelled booking's `refund_due` becomes `refunded` once its refunds paid out, and back to
 * `refund_due` if one fails afterwards. Only those two statuses are touched, so a paid booking's
 * partial refund by staff leaves it `paid`.
 */
export async function followRefundStatus(tx: Executor, bookingId: string, step: LedgerStep): Promise<void> {
  if (step.outcome !== 'applied' || !step.refund || step.refund.status === 'pending') return;
  const [row] = await tx
    .select({ paymentStatus: bookings.paymentStatus, refundCents: bookings.refundCents })
    .from(bookings)
    .where(eq(bookings.id, bookingId));
  if (row?.paymentStatus !== 'refund_due' && row?.paymentStatus !== 'refunded') return;
  const next = refundPaymentStatus(ledgerTotals(step.ledger), row.refundCents);
  if (next === row.paymentStatus) return;
  await tx
    .update(bookings)
    .set({ paymentStatus: next, updatedAt: new Date() })
    .where(and(eq(bookings.id, bookingId), inArray(bookings.paymentStatus, ['refund_due', 'refunded'])));
}
