import { badRequest, DomainError, invalidState, notFound } from '@clubos/shared/errors';
import {
  amountDueOnline,
  applyLedgerEvent,
  type RefundState,
  refundableCents,
  refundRetryDelayMs,
} from '@clubos/shared/payments';
import Stripe from 'stripe';
import type { BookingRepository } from '../bookings/booking.repository.js';
import type { Database, Executor } from '../db/client.js';
import { reportMoneyMoved } from './money-moved.js';
import type { PaymentPolicyService } from './payment-policy.service.js';
import type { PaymentRow, PaymentsRepository, RefundRow } from './payments.repository.js';
import type { RefundOutboxRepository } from './refund-outbox.repository.js';
import { META } from './stripe-event.mapper.js';

/** Stripe refuses a Checkout Session that expires sooner than 30 minutes ahead or later than 24 hours. */
const MIN_SESSION_SECONDS = 31 * 60;
const MAX_SESSION_SECONDS = 24 * 3600 - 60;

export interface CheckoutStarted {
  paymentId: string;
  checkoutUrl: string;
  amountCents: number;
  currency: string;
  /** When the session expires at Stripe (the hold's own expiry is earlier or equal). */
  expiresAt: Date;
}

export interface RefundIssued {
  refundId: string;
  paymentId: string;
  amountCents: number;
  status: RefundState;
}

export const offline = () =>
  new DomainError('UNPROCESSABLE', 'Online payment is off (no Stripe key): this venue takes payment on site');
export const unreachable = () =>
  new DomainError(
    'NOT_READY',
    'The payment provider is not answering; nothing was charged, please try again',
  );
/** Stripe refused the call itself (bad amount, refunded already…): not ours to retry. */
export const refusedBy = (error: unknown, what: string) =>
  error instanceof Stripe.errors.StripeError
    ? new DomainError('UNPROCESSABLE', `Stripe refused the ${what}: ${error.message}`)
    : error;
/** An answer the SDK could not get (timeout, reset, 5xx): the call may or may not have happened. */
export const isAmbiguous = (error: unknown): boolean =>
  error instanceof Stripe.errors.StripeConnectionError || error instanceof Stripe.errors.StripeAPIError;

/**
 * Money-moving calls to Stripe, each with an idempotency key made of our own ids (`checkout:
 * <booking>:<attempt>`, `refund:<booking>:<n>`), so the SDK's retries and ours never charge or refund
 * twice. Their outcome reaches the ledger through the webhooks (StripeWebhookService); a refund's
 * immediate answer is applied here as well, through the same state machine.
 */
export class PaymentService {
  constructor(
    private readonly db: Database,
    private readonly payments: PaymentsRepository,
    private readonly bookings: BookingRepository,
    private readonly policies: PaymentPolicyService,
    private readonly stripe: Stripe | null,
    /** Where planned refunds wait until Stripe has answered them (none: sent once, settled by webhook). */
    private readonly outbox?: RefundOutboxRepository,
  ) {}

  /**
   * A Checkout Session for a booking's hold, for what the facility's policy asks online. The
   * booking is not confirmed here: that follows the payment's success.
   */
  async startCheckout(
    bookingId: string,
    urls: { successUrl: string; cancelUrl: string },
  ): Promise<CheckoutStarted> {
    const stripe = this.stripe;
    if (!stripe) throw offline();
    const booking = await this.bookings.findById(bookingId);
    if (!booking) throw notFound('Booking', bookingId);
    if (
      booking.status !== 'pending' ||
      !booking.holdExpiresAt ||
      booking.holdExpiresAt.getTime() <= Date.now()
    ) {
      throw invalidState(`Booking ${bookingId} is not a live checkout hold (status ${booking.status})`);
    }
    const policy = await this.policies.policyOf(booking.facilityId);
    const amountCents = amountDueOnline(booking.priceCents, policy);
    if (amountCents === 0) throw invalidState(`Booking ${bookingId} has nothing to pay online`);

    const now = Math.floor(Date.now() / 1000);
    const holdEnds = Math.floor(booking.holdExpiresAt.getTime() / 1000);
    const expiresAt = Math.min(Math.max(holdEnds, now + MIN_SESSION_SECONDS), now + MAX_SESSION_SECONDS);
    const opened = await this.openCheckout({
      operation: 'checkout',
      bookingId,
      facilityId: booking.facilityId,
      amountCents,
      currency: policy.currency,
      productName: `Booking ${booking.referenceCode}`,
      successUrl: urls.successUrl,
      cancelUrl: urls.cancelUrl,
      expiresAt,
    });
    return {
      paymentId: opened.paymentId,
      checkoutUrl: opened.url,
      amountCents,
      currency: policy.currency,
      expiresAt: new Date(expiresAt * 1000),
    };
  }

  /**
   * A Checkout Session for `amountCents` of a booking (a hold's payment, a move's difference): the
   * payment row (its attempt numbered under the booking's ledger lock), then the session with the key
   * `<operation>:<booking>:<attempt>`. A session that may exist stays pending (its webhook still finds
   * the payment); one Stripe refused is failed.
   */
  async openCheckout(request: {
    operation: 'checkout' | 'reschedule';
    bookingId: string;
    facilityId: string;
    amountCents: number;
    currency: string;
    productName: string;
    successUrl: string;
    cancelUrl: string;
    /** Epoch seconds; Stripe's default (24 h) when absent. */
    expiresAt?: number;
  }): Promise<{ paymentId: string; url: string }> {
    const stripe = this.stripe;
    if (!stripe) throw offline();
    const { bookingId } = request;
    const payment = await this.db.transaction(async (tx) => {
      await this.payments.lockBooking(tx, bookingId);
      const attempt = await this.payments.nextAttempt(tx, bookingId, 'online');
      return this.payments.insertPayment(tx, {
        bookingId,
        facilityId: request.facilityId,
        kind: 'online',
        provider: 'stripe',
        attempt,
        amountCents: request.amountCents,
        currency: request.currency,
      });
    });
    const metadata = { [META.booking]: bookingId, [META.payment]: payment.id };
    try {
      const session = await stripe.checkout.sessions.create(
        {
          mode: 'payment',
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: request.currency,
                unit_amount: request.amountCents,
                product_data: { name: request.productName },
              },
            },
          ],
          success_url: request.successUrl,
          cancel_url: request.cancelUrl,
          ...(request.expiresAt === undefined ? {} : { expires_at: request.expiresAt }),
          client_reference_id: bookingId,
          metadata,
          payment_intent_data: { metadata },
        },
        { idempotencyKey: `${request.operation}:${bookingId}:${payment.attempt}` },
      );
      await this.payments.updatePayment(this.db, payment.id, { providerCheckoutId: session.id });
      return { paymentId: payment.id, url: session.url ?? '' };
    } catch (error) {
      if (!isAmbiguous(error)) await this.payments.updatePayment(this.db, payment.id, { status: 'failed' });
      throw isAmbiguous(error) ? unreachable() : refusedBy(error, 'checkout');
    }
  }

  /**
   * Refunds `amountCents` of a booking's succeeded online payments (the largest refundable first,
   * split across payments when one is not enough). The refund rows are written (pending, holding
   * their amount) before Stripe is called, so two refunds at once cannot both take the same money.
   */
  async refund(
    bookingId: string,
    amountCents: number,
    reason: string,
    actor: string,
  ): Promise<RefundIssued[]> {
    if (!this.stripe) throw offline();
    const planned = await this.db.transaction((tx) =>
      this.planRefunds(tx, bookingId, amountCents, reason, actor),
    );
    const issued: RefundIssued[] = [];
    for (const refund of planned) issued.push(await this.deliverRefund(refund.id));
    return issued;
  }

  /** What is left to refund of the booking's card payments, under the booking's ledger lock. */
  async refundableOnline(tx: Executor, bookingId: string): Promise<number> {
    await this.payments.lockBooking(tx, bookingId);
    return (await this.refundablePayments(tx, bookingId)).reduce((sum, p) => sum + p.left, 0);
  }

  /**
   * Writes the refund rows (and their outbox rows) in the caller's transaction, so a refund that a
   * cancellation decides commits with it; `deliverRefund` sends each after the commit.
   */
  async planRefunds(
    tx: Executor,
    bookingId: string,
    amountCents: number,
    reason: string,
    actor: string,
  ): Promise<RefundRow[]> {
    if (!Number.isInteger(amountCents) || amountCents <= 0) {
      throw badRequest('amount_cents', 'must be whole minor units, more than 0');
    }
    await this.payments.lockBooking(tx, bookingId);
    const paid = await this.refundablePayments(tx, bookingId);
    const available = paid.reduce((sum, p) => sum + p.left, 0);
    if (available < amountCents) {
      throw badRequest('amount_cents', `at most ${available} can be refunded for booking ${bookingId}`);
    }
    const rows: RefundRow[] = [];
    let remaining = amountCents;
    for (const { payment, left } of paid) {
      if (remaining === 0) break;
      const share = Math.min(left, remaining);
      remaining -= share;
      const seq = await this.payments.nextRefundSeq(tx, bookingId);
      const refund = await this.payments.insertRefund(tx, {
        facilityId: payment.facilityId,
        paymentId: payment.id,
        bookingId,
        seq,
        amountCents: share,
        reason,
        actor,
      });
      await this.outbox?.enqueue(tx, refund);
      rows.push(refund);
    }
    return rows;
  }

  private async refundablePayments(tx: Executor, bookingId: string) {
    const ledger = await this.payments.ledgerOf(tx, bookingId);
    return (await this.payments.paymentsOf(bookingId, tx))
      .filter((p) => p.provider === 'stripe' && p.providerPaymentId && p.status === 'succeeded')
      .map((p) => ({ payment: p, left: refundableCents(ledger, p.id) }))
      .filter((p) => p.left > 0)
      .sort((a, b) => b.left - a.left);
  }

  /**
   * Sends one planned refund to Stripe with its key `refund:<booking>:<seq>` (a retry gets Stripe's
   * stored answer, never a second refund). No answer: its outbox row is tried again later.
   */
  async deliverRefund(refundId: string): Promise<RefundIssued> {
    const stripe = this.stripe;
    if (!stripe) throw offline();
    const refund = await this.payments.findRefund(refundId);
    if (!refund) throw notFound('Refund', refundId);
    const payment = (await this.payments.findPayment(refund.paymentId))!;
    if (refund.status !== 'pending') {
      // Its webhook settled it meanwhile: nothing left to send.
      await this.outbox?.markSent(refund.id);
      return {
        refundId,
        paymentId: payment.id,
        amountCents: refund.amountCents,
        status: refund.status as RefundState,
      };
    }
    const sent = await this.sendRefund(stripe, payment, refund);
    if (sent.ambiguous === undefined) {
      await this.outbox?.markSent(refund.id, sent.refused ? String(sent.refused.message) : null);
    } else {
      const row = await this.outbox?.find(refund.id);
      const attempts = (row?.attempts ?? 0) + 1;
      await this.outbox?.scheduleRetry(
        refund.id,
        attempts,
        new Date(Date.now() + refundRetryDelayMs(attempts)),
        sent.ambiguous instanceof Error ? sent.ambiguous.message : String(sent.ambiguous),
      );
    }
    if (sent.refused) throw sent.refused;
    return sent.issued;
  }

  private async sendRefund(
    stripe: Stripe,
    payment: PaymentRow,
    refund: RefundRow,
  ): Promise<{ issued: RefundIssued; ambiguous?: unknown; refused?: Error }> {
    const result = (status: RefundState): RefundIssued => ({
      refundId: refund.id,
      paymentId: payment.id,
      amountCents: refund.amountCents,
      status,
    });
    let answer: Stripe.Refund;
    try {
      answer = await stripe.refunds.create(
        {
          payment_intent: payment.providerPaymentId!,
          amount: refund.amountCents,
          reason: 'requested_by_customer',
          metadata: {
            [META.booking]: refund.bookingId,
            [META.payment]: payment.id,
            [META.refund]: refund.id,
          },
        },
        { idempotencyKey: `refund:${refund.bookingId}:${refund.seq}` },
      );
    } catch (error) {
      // Retried with the same key from the outbox; the webhook may settle it first.
      if (isAmbiguous(error)) return { issued: result('pending'), ambiguous: error };
      await this.settleRefund(refund, 'failed', null);
      const refused = refusedBy(error, 'refund');
      return {
        issued: result('failed'),
        refused: refused instanceof Error ? refused : new Error(String(refused)),
      };
    }
    const status: RefundState =
      answer.status === 'succeeded'
        ? 'succeeded'
        : answer.status === 'failed' || answer.status === 'canceled'
          ? 'failed'
          : 'pending';
    return { issued: result(await this.settleRefund(refund, status, answer.id)) };
  }

  /** The refund's immediate answer through the same state machine as its webhooks. */
  private async settleRefund(
    refund: RefundRow,
    status: RefundState,
    providerRefundId: string | null,
  ): Promise<RefundState> {
    return this.db.transaction(async (tx) => {
      await this.payments.lockBooking(tx, refund.bookingId);
      const ledger = await this.payments.ledgerOf(tx, refund.bookingId);
      const step = applyLedgerEvent(ledger, {
        kind: 'refund',
        eventId: `api:${refund.id}:${status}`,
        refundRef: refund.id,
        paymentRef: refund.paymentId,
        status,
        amountCents: refund.amountCents,
      });
      await this.payments.updateRefund(tx, refund.id, {
        ...(providerRefundId ? { providerRefundId } : {}),
        ...(step.outcome === 'applied' ? { status } : {}),
      });
      await reportMoneyMoved(tx, refund.bookingId, step);
      return (step.outcome === 'applied' ? status : ledger.refunds[refund.id]?.status) ?? status;
    });
  }
}
