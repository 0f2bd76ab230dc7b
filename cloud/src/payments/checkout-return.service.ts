import type { CheckoutReturn } from '@clubos/shared/api/payments.schemas';
import { badRequest, notFound } from '@clubos/shared/errors';
import { ledgerTotals } from '@clubos/shared/payments';
import Stripe from 'stripe';
import { toBookingResponse } from '../bookings/booking.mapper.js';
import type { BookingRepository, BookingRow } from '../bookings/booking.repository.js';
import type { Database } from '../db/client.js';
import {
  type BookingCheckoutService,
  EXPIRED,
  HOLD_RAN_OUT,
  SOLD_WHILE_PAYING,
} from './booking-checkout.service.js';
import type { PaymentRow, PaymentsRepository } from './payments.repository.js';
import { mapStripeEvent } from './stripe-event.mapper.js';
import type { StripeWebhookService } from './stripe-webhook.service.js';

const isAmbiguous = (error: unknown) =>
  error instanceof Stripe.errors.StripeConnectionError || error instanceof Stripe.errors.StripeAPIError;

/**
 * The customer's way back from Stripe's hosted page. With `session_id` it asks Stripe for the
 * session and, paid, confirms the booking through the same ledger as the webhook (whichever comes
 * first wins; the other finds it done). With `booking_id` (the page's Back link) it only tells where
 * the hold stands, without the door credentials.
 */
export class CheckoutReturnService {
  constructor(
    private readonly db: Database,
    private readonly bookings: BookingRepository,
    private readonly payments: PaymentsRepository,
    private readonly webhooks: StripeWebhookService,
    private readonly checkout: BookingCheckoutService,
    private readonly stripe: Stripe | null,
  ) {}

  async returnFrom(query: { session_id?: string; booking_id?: string }): Promise<CheckoutReturn> {
    if (query.session_id) return this.fromSession(query.session_id);
    if (query.booking_id) return this.describe(query.booking_id, false, false);
    throw badRequest('session_id', 'session_id or booking_id is required');
  }

  private async fromSession(sessionId: string): Promise<CheckoutReturn> {
    const payment = await this.payments.findPaymentByCheckoutId(sessionId);
    if (!payment) throw notFound('checkout session', sessionId);
    const row = await this.bookings.findById(payment.bookingId);
    let providerDown = false;
    // Not confirmed yet (a live or run-out hold, or one purged for someone else): ask Stripe.
    if (this.stripe && (!row || row.status === 'pending' || row.status === EXPIRED)) {
      try {
        await this.observe(this.stripe, payment, sessionId);
      } catch (error) {
        if (!isAmbiguous(error)) throw error;
        providerDown = true;
      }
    }
    return this.describe(payment.bookingId, true, providerDown);
  }

  /** The session as Stripe has it, applied as its webhook would be (an open one changes nothing). */
  private async observe(stripe: Stripe, payment: PaymentRow, sessionId: string): Promise<void> {
    const session = await stripe.checkout.sessions.retrieve(sessionId);
    if (session.status === 'open') return;
    const type = session.status === 'expired' ? 'checkout.session.expired' : 'checkout.session.completed';
    const mapped = mapStripeEvent({ type, data: { object: session } } as unknown as Stripe.Event);
    if (mapped.kind !== 'payment') return;
    await this.webhooks.applyObserved(payment, mapped, `return:${sessionId}:${session.status}`);
  }

  private async describe(bookingId: string, withCredentials: boolean, providerDown: boolean) {
    const row = await this.bookings.findById(bookingId);
    const totals = ledgerTotals(await this.payments.ledgerOf(this.db, bookingId));
    const refunded = totals.refundedCents + totals.pendingRefundCents;
    const base = {
      booking_id: bookingId,
      booking: row ? await this.bookingOf(row, withCredentials) : null,
      checkout_url: null,
      hold_expires_at: row?.holdExpiresAt?.toISOString() ?? null,
      refunded_cents: refunded,
    };
    if (!row && totals.paidCents === 0) throw notFound('booking', bookingId);
    if (row && row.status !== 'pending' && row.status !== EXPIRED) {
      return { ...base, state: 'confirmed' as const, message: confirmedText(row) };
    }
    if (refunded > 0 || (!row && totals.paidCents > 0) || row?.cancellationReason === SOLD_WHILE_PAYING) {
      return { ...base, state: 'refunded' as const, message: SOLD_WHILE_PAYING };
    }
    if (!row || row.status === EXPIRED || (row.holdExpiresAt && row.holdExpiresAt.getTime() <= Date.now())) {
      return { ...base, state: 'expired' as const, message: row?.cancellationReason ?? HOLD_RAN_OUT };
    }
    const until = row.holdExpiresAt?.toISOString() ?? '';
    const checkoutUrl = providerDown ? null : await this.checkout.openSessionUrl(bookingId).catch(() => null);
    return {
      ...base,
      checkout_url: checkoutUrl,
      state: 'awaiting_payment' as const,
      message: providerDown
        ? `We could not reach the payment provider to check your payment. Nothing is lost: your time is held until ${until}; please refresh in a moment.`
        : `Your payment has not gone through, and nothing was charged. Your time is held until ${until}.`,
    };
  }

  private async bookingOf(row: BookingRow, withCredentials: boolean) {
    if (!withCredentials) return { ...toBookingResponse(row, null), access_code: null };
    const qr = await this.bookings.qrTokensOf([row.id]);
    return toBookingResponse(row, qr.get(row.id) ?? null);
  }
}

const confirmedText = (row: BookingRow) =>
  row.paymentStatus === 'deposit_paid'
    ? 'Your deposit is paid and your booking is confirmed; the rest is paid at the venue.'
    : 'Paid — your booking is confirmed.';
