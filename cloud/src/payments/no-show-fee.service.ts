import { applyLedgerEvent, type PaymentState, refundRetryDelayMs } from '@clubos/shared/payments';
import Stripe from 'stripe';
import type { Database, Executor } from '../db/client.js';
import { reportMoneyMoved } from './money-moved.js';
import type { NoShowFeeRow, NoShowFeesRepository } from './no-show-fees.repository.js';
import { isAmbiguous } from './payment.service.js';
import type { PaymentPolicyRepository } from './payment-policy.repository.js';
import type { PaymentsRepository } from './payments.repository.js';
import { META } from './stripe-event.mapper.js';

/**
 * The no-show fee of the facility's policy, charged off session on the customer's saved card
 * (`off_session: true, confirm: true`, key `no-show:<booking>`) when a booking is marked a no-show.
 * Recorded with the no-show in one transaction, charged after the commit and retried while Stripe
 * does not answer; a declined card or a missing one is kept on the fee row for staff.
 */
export class NoShowFeeService {
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly db: Database,
    private readonly repo: NoShowFeesRepository,
    private readonly payments: PaymentsRepository,
    private readonly policies: PaymentPolicyRepository,
    private readonly stripe: Stripe | null,
    private readonly onError: (error: unknown, bookingId: string) => void = () => {},
  ) {}

  /** In the no-show's transaction: owes the policy's fee (nothing without Stripe or a fee). */
  async enqueue(
    tx: Executor,
    booking: { id: string; facilityId: string; customerId: string | null },
  ): Promise<boolean> {
    if (!this.stripe) return false;
    const policy = (await this.policies.find(booking.facilityId, tx))?.policy;
    if (!policy || policy.noShowFeeCents === 0) return false;
    return this.repo.enqueue(tx, {
      bookingId: booking.id,
      facilityId: booking.facilityId,
      customerId: booking.customerId,
      amountCents: policy.noShowFeeCents,
      currency: policy.currency,
    });
  }

  /** A facility's fees for staff, newest first. */
  list(facilityId: string, status?: string): Promise<NoShowFeeRow[]> {
    return this.repo.listOf(facilityId, status);
  }

  chargeSoon(bookingId: string): void {
    const run = this.charge(bookingId)
      .catch((error) => this.onError(error, bookingId))
      .finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Fees Stripe has not answered yet, due at `now`. */
  async retryDue(now: Date = new Date(), limit = 50): Promise<number> {
    const due = await this.repo.due(now, limit);
    for (const fee of due) {
      try {
        await this.charge(fee.bookingId);
      } catch (error) {
        this.onError(error, fee.bookingId);
      }
    }
    return due.length;
  }

  async charge(bookingId: string): Promise<NoShowFeeRow | undefined> {
    const stripe = this.stripe;
    const fee = await this.repo.find(bookingId);
    if (!stripe || fee?.status !== 'pending') return fee;
    const card = fee.customerId ? await this.repo.savedCardOf(fee.customerId) : undefined;
    const method = card ? await this.savedMethod(stripe, card.providerCustomerId) : null;
    if (!card || !method) {
      await this.repo.update(bookingId, {
        status: 'no_card',
        failureMessage: 'The customer has no saved card to charge',
      });
      return this.repo.find(bookingId);
    }
    const payment = await this.paymentFor(fee);
    const metadata = { [META.booking]: bookingId, [META.payment]: payment.id };
    try {
      const intent = await stripe.paymentIntents.create(
        {
          amount: fee.amountCents,
          currency: fee.currency,
          customer: card.providerCustomerId,
          payment_method: method,
          off_session: true,
          confirm: true,
          allowed_payment_method_types: ['card'],
          description: 'No-show fee',
          metadata,
        } as Stripe.PaymentIntentCreateParams,
        { idempotencyKey: `no-show:${bookingId}` },
      );
      const ok = intent.status === 'succeeded';
      await this.settlePayment(
        payment.id,
        bookingId,
        fee.amountCents,
        ok ? 'succeeded' : 'pending',
        intent.id,
      );
      await this.repo.update(bookingId, { status: ok ? 'succeeded' : 'pending', paymentId: payment.id });
    } catch (error) {
      if (isAmbiguous(error)) {
        const attempts = fee.attempts + 1;
        await this.repo.update(bookingId, {
          attempts,
          nextAttemptAt: new Date(Date.now() + refundRetryDelayMs(attempts)),
          failureMessage: error instanceof Error ? error.message : String(error),
        });
        return this.repo.find(bookingId);
      }
      const stripeError = error instanceof Stripe.errors.StripeError ? error : null;
      const intentId = (stripeError?.raw as { payment_intent?: { id?: string } } | undefined)?.payment_intent
        ?.id;
      await this.settlePayment(payment.id, bookingId, fee.amountCents, 'failed', intentId ?? null);
      await this.repo.update(bookingId, {
        status: 'failed',
        paymentId: payment.id,
        failureCode: stripeError?.decline_code ?? stripeError?.code ?? 'error',
        failureMessage: stripeError?.message ?? String(error),
      });
    }
    return this.repo.find(bookingId);
  }

  private async savedMethod(stripe: Stripe, customer: string): Promise<string | null> {
    const list = await stripe.customers.listPaymentMethods(customer, { type: 'card', limit: 1 });
    return list.data[0]?.id ?? null;
  }

  /** The fee's `payments` row (kind no_show_fee), made once: a retry reuses it. */
  private async paymentFor(fee: NoShowFeeRow) {
    return this.db.transaction(async (tx) => {
      await this.payments.lockBooking(tx, fee.bookingId);
      const existing = (await this.payments.paymentsOf(fee.bookingId, tx)).find(
        (p) => p.kind === 'no_show_fee',
      );
      if (existing) return existing;
      return this.payments.insertPayment(tx, {
        bookingId: fee.bookingId,
        facilityId: fee.facilityId,
        kind: 'no_show_fee',
        provider: 'stripe',
        attempt: 1,
        amountCents: fee.amountCents,
        currency: fee.currency,
      });
    });
  }

  /** Stripe's immediate answer through the ledger's state machine, as its webhook would. */
  private async settlePayment(
    paymentId: string,
    bookingId: string,
    amountCents: number,
    status: PaymentState,
    providerPaymentId: string | null,
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.payments.lockBooking(tx, bookingId);
      if (providerPaymentId) await this.payments.lockProviderIds(tx, [providerPaymentId]);
      const ledger = await this.payments.ledgerOf(tx, bookingId);
      const step = applyLedgerEvent(ledger, {
        kind: 'payment',
        eventId: `api:${paymentId}:${status}`,
        paymentRef: paymentId,
        status,
        amountCents,
      });
      await this.payments.updatePayment(tx, paymentId, {
        ...(providerPaymentId ? { providerPaymentId } : {}),
        ...(step.outcome === 'applied' ? { status } : {}),
        ...(step.outcome === 'applied' && status === 'succeeded' ? { succeededAt: new Date() } : {}),
      });
      await reportMoneyMoved(tx, bookingId, step);
    });
  }
}
