import type { SettleDueBody, WalkInDue } from '@clubos/shared/api/terminal.schemas';
import { badRequest } from '@clubos/shared/errors';
import { ledgerTotals } from '@clubos/shared/payments';
import { bookingMoneyOf, setPaymentStatus } from '../bookings/booking-payment-status.js';
import type { Database, Executor } from '../db/client.js';
import { enqueueReceipts } from '../notifications/notification-outbox.js';
import { paidStatusOf } from './booking-checkout.service.js';
import type { PaymentPolicyService } from './payment-policy.service.js';
import type { PaymentsRepository } from './payments.repository.js';
import type { TerminalRepository, WalkInDueRow } from './terminal.repository.js';
import type { TerminalPaymentService } from './terminal-payment.service.js';

/**
 * Walk-ins sold offline "to collect": the edge reports the amount owed through its outbox
 * (`walk_in.to_collect`), staff settle it once back online, in cash (a `cash` payment of provider
 * `venue`, succeeded, with the actor) or on the reader (a succeeded terminal payment). Whichever of
 * the report and the settlement arrives first records the due; settling twice is a no-op.
 */
export class WalkInDuesService {
  constructor(
    private readonly db: Database,
    private readonly terminal: TerminalRepository,
    private readonly payments: PaymentsRepository,
    private readonly policies: PaymentPolicyService,
    private readonly cards: TerminalPaymentService,
  ) {}

  /** The outbox's report, in the transaction that stores the event. */
  async record(tx: Executor, facilityId: string, bookingId: string, amountCents: number): Promise<void> {
    const { currency } = await this.policies.policyOf(facilityId, tx);
    await this.terminal.insertDueIfAbsent(tx, { bookingId, facilityId, amountCents, currency });
  }

  async settle(facilityId: string, bookingId: string, body: SettleDueBody): Promise<WalkInDue> {
    if (body.method === 'card' && !body.payment_id)
      throw badRequest('payment_id', 'a card settlement names the terminal payment that succeeded');
    if (body.method === 'card')
      await this.cards.assertPaid(facilityId, body.payment_id!, bookingId, body.amount_cents);
    const { currency } = await this.policies.policyOf(facilityId);
    const row = await this.db.transaction(async (tx) => {
      await this.payments.lockBooking(tx, bookingId);
      await this.terminal.insertDueIfAbsent(tx, {
        bookingId,
        facilityId,
        amountCents: body.amount_cents,
        currency,
      });
      const due = (await this.terminal.findDue(tx, bookingId))!;
      if (due.facilityId !== facilityId) throw badRequest('booking_id', 'not a walk-in of this facility');
      if (due.status === 'settled') return due;
      if (due.amountCents !== body.amount_cents)
        throw badRequest('amount_cents', `the walk-in owes ${due.amountCents}, not ${body.amount_cents}`);
      let paymentId = body.payment_id ?? null;
      if (body.method === 'cash') {
        const attempt = await this.payments.nextAttempt(tx, bookingId, 'cash');
        const cash = await this.payments.insertPayment(tx, {
          bookingId,
          facilityId,
          kind: 'cash',
          provider: 'venue',
          attempt,
          amountCents: due.amountCents,
          currency: due.currency,
        });
        await this.payments.updatePayment(tx, cash.id, { status: 'succeeded', succeededAt: new Date() });
        paymentId = cash.id;
      }
      const settled = await this.terminal.settleDue(tx, bookingId, {
        method: body.method,
        paymentId,
        settledBy: body.settled_by,
      });
      // A reader payment Stripe says succeeded may still wait for its webhook in our ledger.
      const card = body.method === 'card' ? await this.payments.findPayment(paymentId!, tx) : undefined;
      await this.followPaid(tx, bookingId, card && card.status !== 'succeeded' ? card.amountCents : 0);
      return settled;
    });
    return toDue(row);
  }

  /**
   * The booking's `payment_status` from what its payments (cash, reader) add up to, whichever of
   * the settlement and the walk-in's booking reaches the cloud first: the settlement's transaction
   * calls it, and so does the walk-in's ingest (an unpaid booking with no payment stays unpaid).
   */
  async followPaid(tx: Executor, bookingId: string, notYetInLedger = 0): Promise<void> {
    const booking = await bookingMoneyOf(tx, bookingId);
    if (!booking) return;
    const ledger = await this.payments.ledgerOf(tx, bookingId);
    // Receipts of what was paid at the kiosk or desk, once the walk-in's booking is in the cloud.
    for (const p of Object.values(ledger.payments)) {
      if (p.status === 'succeeded')
        await enqueueReceipts(tx, [{ bookingId, kind: 'payment_receipt', receiptFor: p.ref }]);
    }
    const paid = ledgerTotals(ledger).paidCents + notYetInLedger;
    if (paid === 0) return;
    await setPaymentStatus(tx, bookingId, paidStatusOf(booking.priceCents, paid), [
      null,
      'unpaid',
      'deposit_paid',
    ]);
  }

  async owed(facilityId: string): Promise<WalkInDue[]> {
    return (await this.terminal.duesOf(facilityId, 'owed')).map(toDue);
  }
}

export function toDue(row: WalkInDueRow): WalkInDue {
  return {
    booking_id: row.bookingId,
    amount_cents: row.amountCents,
    currency: row.currency,
    status: row.status as WalkInDue['status'],
    method: row.method as WalkInDue['method'],
    payment_id: row.paymentId,
    settled_by: row.settledBy,
    settled_at: row.settledAt?.toISOString() ?? null,
  };
}
