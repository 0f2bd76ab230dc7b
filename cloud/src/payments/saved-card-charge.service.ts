import { applyLedgerEvent, type PaymentState } from '@clubos/shared/payments';
import Stripe from 'stripe';
import type { Database } from '../db/client.js';
import { reportMoneyMoved } from './money-moved.js';
import type { NoShowFeesRepository } from './no-show-fees.repository.js';
import { isAmbiguous } from './payment.service.js';
import type { PaymentsRepository } from './payments.repository.js';
import { META } from './stripe-event.mapper.js';

/** How an off-session charge on the saved card went. */
export type SavedCardCharge =
  | { status: 'succeeded'; paymentId: string }
  | { status: 'failed'; paymentId: string; message: string }
  /** Stripe did not answer: the intent may exist; its webhook settles the payment row if so. */
  | { status: 'unknown'; paymentId: string; message: string }
  | { status: 'no_card' };

export interface SavedCardChargeRequest {
  bookingId: string;
  facilityId: string;
  customerId: string | null;
  amountCents: number;
  currency: string;
  /** Names the idempotency key with the booking and the payment's attempt: `<operation>:<booking>:<attempt>`. */
  operation: string;
  description: string;
}

/**
 * Charges a booking's customer off session on the card Stripe holds for them (saved with their
 * consent, card-on-file.service.ts): a `payments` row of kind `online` with no Checkout, applied
 * through the ledger from Stripe's immediate answer as its webhook would be.
 */
export class SavedCardChargeService {
  constructor(
    private readonly db: Database,
    private readonly payments: PaymentsRepository,
    private readonly cards: NoShowFeesRepository,
    private readonly stripe: Stripe | null,
  ) {}

  async charge(request: SavedCardChargeRequest): Promise<SavedCardCharge> {
    const stripe = this.stripe;
    const card = request.customerId ? await this.cards.savedCardOf(request.customerId) : undefined;
    if (!stripe || !card) return { status: 'no_card' };
    let method: string | null;
    try {
      const list = await stripe.customers.listPaymentMethods(card.providerCustomerId, {
        type: 'card',
        limit: 1,
      });
      method = list.data[0]?.id ?? null;
    } catch {
      return { status: 'no_card' };
    }
    if (!method) return { status: 'no_card' };
    const payment = await this.db.transaction(async (tx) => {
      await this.payments.lockBooking(tx, request.bookingId);
      return this.payments.insertPayment(tx, {
        bookingId: request.bookingId,
        facilityId: request.facilityId,
        kind: 'online',
        provider: 'stripe',
        attempt: await this.payments.nextAttempt(tx, request.bookingId, 'online'),
        amountCents: request.amountCents,
        currency: request.currency,
      });
    });
    const metadata = { [META.booking]: request.bookingId, [META.payment]: payment.id };
    try {
      const intent = await stripe.paymentIntents.create(
        {
          amount: request.amountCents,
          currency: request.currency,
          customer: card.providerCustomerId,
          payment_method: method,
          off_session: true,
          confirm: true,
          allowed_payment_method_types: ['card'],
          description: request.description,
          metadata,
        } as Stripe.PaymentIntentCreateParams,
        { idempotencyKey: `${request.operation}:${request.bookingId}:${payment.attempt}` },
      );
      const ok = intent.status === 'succeeded';
      await this.settle(payment.id, request, ok ? 'succeeded' : 'pending', intent.id);
      return ok
        ? { status: 'succeeded', paymentId: payment.id }
        : { status: 'unknown', paymentId: payment.id, message: `the card payment is ${intent.status}` };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (isAmbiguous(error)) return { status: 'unknown', paymentId: payment.id, message };
      const raw = error instanceof Stripe.errors.StripeError ? error.raw : undefined;
      const intentId = (raw as { payment_intent?: { id?: string } } | undefined)?.payment_intent?.id;
      await this.settle(payment.id, request, 'failed', intentId ?? null);
      return { status: 'failed', paymentId: payment.id, message };
    }
  }

  /** Stripe's immediate answer through the ledger's state machine, as its webhook would apply it. */
  private async settle(
    paymentId: string,
    request: SavedCardChargeRequest,
    status: PaymentState,
    providerPaymentId: string | null,
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.payments.lockBooking(tx, request.bookingId);
      if (providerPaymentId) await this.payments.lockProviderIds(tx, [providerPaymentId]);
      const step = applyLedgerEvent(await this.payments.ledgerOf(tx, request.bookingId), {
        kind: 'payment',
        eventId: `api:${paymentId}:${status}`,
        paymentRef: paymentId,
        status,
        amountCents: request.amountCents,
      });
      await this.payments.updatePayment(tx, paymentId, {
        ...(providerPaymentId ? { providerPaymentId } : {}),
        ...(step.outcome === 'applied' ? { status } : {}),
        ...(step.outcome === 'applied' && status === 'succeeded' ? { succeededAt: new Date() } : {}),
      });
      await reportMoneyMoved(tx, request.bookingId, step);
    });
  }
}
