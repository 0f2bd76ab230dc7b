import type { LedgerStep } from '@clubos/shared/payments';
import type { Executor } from '../db/client.js';
import { enqueueHubspotSync } from '../hubspot/hubspot-outbox.repository.js';
import { followRefundStatus } from './refund-status.js';

/** A ledger step that changed what the booking was paid: a payment succeeded, a refund paid out or failed. */
export const movesMoney = (step: LedgerStep): boolean =>
  step.outcome === 'applied' &&
  (step.payment?.status === 'succeeded' ||
    step.refund?.status === 'succeeded' ||
    step.refund?.status === 'failed');

/**
 * Tells the CRM, in the transaction that applied the step, that the booking's paid amount changed
 * (its HubSpot deal amount follows what was paid, through the outbox: docs/decisions/009), and a
 * cancelled booking's `refund_due` follows its refunds (refund-status.ts).
 */
export async function reportMoneyMoved(tx: Executor, bookingId: string, step: LedgerStep): Promise<void> {
  if (!movesMoney(step)) return;
  await enqueueHubspotSync(tx, { kind: 'booking.payment', bookingId });
  await followRefundStatus(tx, bookingId, step);
}
