import type { LedgerStep } from '@clubos/shared/payments';
import type { Executor } from '../db/client.js';
import { enqueueHubspotSync } from '../hubspot/hubspot-outbox.repository.js';
import { enqueueReceipts } from '../notifications/notification-outbox.js';
import { followRefundStatus } from './refund-status.js';

/** A ledger step that changed what the booking was paid: a payment succeeded, a refund paid out or failed. */
export const movesMoney = (step: LedgerStep): boolean =>
  step.outcome === 'applied' &&
  (step.payment?.status === 'succeeded' ||
    step.refund?.status === 'succeeded' ||
    step.refund?.status === 'failed');

/** The receipt a ledger step owes the customer: a payment that succeeded, a refund paid out. */
export function receiptOf(
  step: LedgerStep,
): { kind: 'payment_receipt' | 'refund_receipt'; receiptFor: string } | undefined {
  if (step.outcome !== 'applied') return undefined;
  if (step.refund?.status === 'succeeded') return { kind: 'refund_receipt', receiptFor: step.refund.ref };
  if (step.payment?.status === 'succeeded') return { kind: 'payment_receipt', receiptFor: step.payment.ref };
  return undefined;
}

/**
 * Tells the CRM, in the transaction that applied the step, that the booking's paid amount changed
 * (its HubSpot deal amount follows what was paid, through the outbox: docs/decisions/009), a
 * cancelled booking's `refund_due` follows its refunds (refund-status.ts), and the customer's
 * receipt is written to the notifications outbox (once per payment or refund).
 */
export async function reportMoneyMoved(tx: Executor, bookingId: string, step: LedgerStep): Promise<void> {
  if (!movesMoney(step)) return;
  await enqueueHubspotSync(tx, { kind: 'booking.payment', bookingId });
  await followRefundStatus(tx, bookingId, step);
  const receipt = receiptOf(step);
  if (receipt) await enqueueReceipts(tx, [{ bookingId, ...receipt }]);
}
