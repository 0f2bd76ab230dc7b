import type { StartTerminalPaymentBody, TerminalPayment } from '@clubos/shared/api/terminal.schemas';
import { badRequest, DomainError, notFound } from '@clubos/shared/errors';
import Stripe from 'stripe';
import { assertFacilityAccess, type Principal } from '../auth/index.js';
import type { Database } from '../db/client.js';
import type { PaymentPolicyService } from './payment-policy.service.js';
import type { PaymentRow, PaymentsRepository } from './payments.repository.js';
import { isMissingAtStripe } from './stripe.client.js';
import { META } from './stripe-event.mapper.js';
import type { TerminalRepository } from './terminal.repository.js';

const MESSAGES = {
  waiting: 'Tap or insert your card on the reader',
  authorized: 'Card accepted',
  succeeded: 'Paid',
  canceled: 'The payment was canceled; nothing was charged',
} as const;

const noCard = (why: string) => new DomainError('UNPROCESSABLE', `Card payment is not available: ${why}`);
const unreachable = () =>
  new DomainError(
    'NOT_READY',
    'The payment provider is not answering; nothing was charged, please try again',
  );

/**
 * Walk-ins paid on the facility's Stripe Terminal reader, server-driven (Stripe's Terminal guide): a
 * `card_present` PaymentIntent is created and handed to the reader with `process_payment_intent`;
 * the edge polls `status`. A walk-in's payment is authorised only (manual capture) and captured once
 * the sale is confirmed, or canceled when it is refused, so a refused sale never charges. Keys:
 * `terminal:<booking>:<attempt>`, `reader:<payment>`, `capture:<payment>`, `cancel:<payment>`. The
 * ledger follows the PaymentIntent's webhooks like any other payment.
 */
export class TerminalPaymentService {
  constructor(
    private readonly db: Database,
    private readonly payments: PaymentsRepository,
    private readonly terminal: TerminalRepository,
    private readonly policies: PaymentPolicyService,
    private readonly stripe: Stripe | null,
  ) {}

  /** The facility's reader (admin); checked at Stripe so a typo is refused, not found at the first sale. */
  async setReader(principal: Principal | null, facilityId: string, readerId: string) {
    assertFacilityAccess(principal, facilityId);
    const stripe = this.stripe;
    if (!stripe) throw noCard('online payment is off (no Stripe key)');
    try {
      await stripe.terminal.readers.retrieve(readerId);
    } catch (error) {
      if (isMissingAtStripe(error)) throw badRequest('reader_id', `Stripe knows no reader ${readerId}`);
      throw this.refusal(error);
    }
    await this.terminal.setReader(facilityId, readerId);
    return { facility_id: facilityId, reader_id: readerId };
  }

  async readerFor(principal: Principal | null, facilityId: string) {
    assertFacilityAccess(principal, facilityId);
    return { facility_id: facilityId, reader_id: await this.terminal.readerOf(facilityId) };
  }

  async start(facilityId: string, body: StartTerminalPaymentBody): Promise<TerminalPayment> {
    const stripe = this.stripe;
    if (!stripe) throw noCard('online payment is off (no Stripe key)');
    const readerId = await this.terminal.readerOf(facilityId);
    if (!readerId) throw noCard('no card reader is set for this facility');
    const { currency } = await this.policies.policyOf(facilityId);
    const payment = await this.db.transaction(async (tx) => {
      await this.payments.lockBooking(tx, body.booking_id);
      const attempt = await this.payments.nextAttempt(tx, body.booking_id, 'terminal');
      return this.payments.insertPayment(tx, {
        bookingId: body.booking_id,
        facilityId,
        kind: 'terminal',
        provider: 'stripe',
        attempt,
        amountCents: body.amount_cents,
        currency,
      });
    });
    const metadata = { [META.booking]: body.booking_id, [META.payment]: payment.id };
    let intent: Stripe.PaymentIntent;
    try {
      intent = await stripe.paymentIntents.create(
        {
          amount: body.amount_cents,
          currency,
          allowed_payment_method_types: ['card_present'],
          capture_method: body.purpose === 'walk_in' ? 'manual' : 'automatic',
          description: `Walk-in ${body.booking_id}`,
          metadata,
        },
        { idempotencyKey: `terminal:${body.booking_id}:${payment.attempt}` },
      );
    } catch (error) {
      await this.payments.updatePayment(this.db, payment.id, { status: 'failed' });
      throw this.refusal(error);
    }
    await this.payments.updatePayment(this.db, payment.id, { providerPaymentId: intent.id });
    try {
      await stripe.terminal.readers.processPaymentIntent(
        readerId,
        { payment_intent: intent.id },
        { idempotencyKey: `reader:${payment.id}` },
      );
    } catch (error) {
      // The reader never asked for a card (offline, busy): release the intent, nothing was charged.
      await this.cancelIntent(stripe, payment.id, intent.id);
      await this.payments.updatePayment(this.db, payment.id, { status: 'canceled' });
      throw this.refusal(error);
    }
    return this.view(payment, 'waiting', MESSAGES.waiting);
  }

  /** Where the payment stands at Stripe now; a declined card releases the intent (nothing is held). */
  async status(facilityId: string, paymentId: string): Promise<TerminalPayment> {
    const { stripe, payment, intentId } = await this.terminalPayment(facilityId, paymentId);
    const intent = await this.call(() => stripe.paymentIntents.retrieve(intentId));
    if (intent.status === 'succeeded') return this.view(payment, 'succeeded', MESSAGES.succeeded);
    if (intent.status === 'requires_capture') return this.view(payment, 'authorized', MESSAGES.authorized);
    // The reader's last action says why (declined, canceled by the customer) while it is this payment's.
    const readerId = await this.terminal.readerOf(facilityId);
    const reader = readerId ? await this.call(() => stripe.terminal.readers.retrieve(readerId)) : null;
    const action = reader && !('deleted' in reader) ? reader.action : null;
    const failed = action?.process_payment_intent?.payment_intent === intent.id && action.status === 'failed';
    if (failed && action.failure_code !== 'canceled') {
      if (intent.status !== 'canceled') await this.cancelIntent(stripe, payment.id, intent.id);
      return this.view(payment, 'declined', declineMessage(action.failure_code, action.failure_message));
    }
    if (intent.status === 'canceled' || failed) {
      if (intent.status !== 'canceled') await this.cancelIntent(stripe, payment.id, intent.id);
      return this.view(payment, 'canceled', MESSAGES.canceled);
    }
    return this.view(payment, 'waiting', MESSAGES.waiting);
  }

  /** The walk-in was sold: take the authorised money. */
  async capture(facilityId: string, paymentId: string): Promise<TerminalPayment> {
    const { stripe, payment, intentId } = await this.terminalPayment(facilityId, paymentId);
    const intent = await this.call(() =>
      stripe.paymentIntents.capture(intentId, {}, { idempotencyKey: `capture:${payment.id}` }),
    );
    if (intent.status !== 'succeeded') {
      throw new DomainError('INVALID_STATE', `Payment ${paymentId} could not be captured (${intent.status})`);
    }
    return this.view(payment, 'succeeded', MESSAGES.succeeded);
  }

  /** The sale was refused or abandoned: stop the reader and release the intent. */
  async cancel(facilityId: string, paymentId: string): Promise<TerminalPayment> {
    const { stripe, payment, intentId } = await this.terminalPayment(facilityId, paymentId);
    const readerId = await this.terminal.readerOf(facilityId);
    if (readerId) {
      const reader = await this.call(() => stripe.terminal.readers.retrieve(readerId));
      const action = 'deleted' in reader ? null : reader.action;
      if (action?.status === 'in_progress' && action.process_payment_intent?.payment_intent === intentId) {
        await this.call(() => stripe.terminal.readers.cancelAction(readerId));
      }
    }
    const intent = await this.call(() => stripe.paymentIntents.retrieve(intentId));
    if (intent.status === 'succeeded') {
      throw new DomainError('INVALID_STATE', `Payment ${paymentId} was already charged; refund it instead`);
    }
    if (intent.status !== 'canceled') await this.cancelIntent(stripe, payment.id, intentId);
    return this.view(payment, 'canceled', MESSAGES.canceled);
  }

  /** A settlement names a succeeded card payment of the same booking and amount. */
  async assertPaid(facilityId: string, paymentId: string, bookingId: string, amountCents: number) {
    const { stripe, payment, intentId } = await this.terminalPayment(facilityId, paymentId);
    if (payment.bookingId !== bookingId || payment.amountCents !== amountCents) {
      throw new DomainError(
        'UNPROCESSABLE',
        `Payment ${paymentId} is not for ${amountCents} on booking ${bookingId}`,
        {
          field: 'payment_id',
        },
      );
    }
    const intent = await this.call(() => stripe.paymentIntents.retrieve(intentId));
    if (intent.status !== 'succeeded') {
      throw new DomainError('INVALID_STATE', `Payment ${paymentId} has not succeeded (${intent.status})`, {
        field: 'payment_id',
      });
    }
  }

  private async terminalPayment(facilityId: string, paymentId: string) {
    const stripe = this.stripe;
    if (!stripe) throw noCard('online payment is off (no Stripe key)');
    const payment = await this.payments.findPayment(paymentId);
    if (!payment || payment.facilityId !== facilityId || payment.kind !== 'terminal') {
      throw notFound('Terminal payment', paymentId);
    }
    if (!payment.providerPaymentId) throw notFound('Terminal payment', paymentId);
    return { stripe, payment, intentId: payment.providerPaymentId };
  }

  private async cancelIntent(stripe: Stripe, paymentId: string, intentId: string): Promise<void> {
    await this.call(() =>
      stripe.paymentIntents.cancel(intentId, {}, { idempotencyKey: `cancel:${paymentId}` }),
    );
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw this.refusal(error);
    }
  }

  private refusal(error: unknown): unknown {
    if (error instanceof Stripe.errors.StripeConnectionError || error instanceof Stripe.errors.StripeAPIError)
      return unreachable();
    if (error instanceof Stripe.errors.StripeError)
      return new DomainError('UNPROCESSABLE', `The card reader could not take the payment: ${error.message}`);
    return error;
  }

  private view(payment: PaymentRow, status: TerminalPayment['status'], message: string): TerminalPayment {
    return {
      payment_id: payment.id,
      booking_id: payment.bookingId,
      amount_cents: payment.amountCents,
      currency: payment.currency,
      status,
      message,
    };
  }
}

function declineMessage(code: string | null | undefined, message: string | null | undefined): string {
  if (code === 'customer_canceled') return 'The payment was canceled on the reader; nothing was charged';
  return `The card was declined (${message ?? code ?? 'no reason given'}); nothing was charged`;
}
