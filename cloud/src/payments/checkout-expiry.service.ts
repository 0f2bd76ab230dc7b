import { and, eq, inArray, isNotNull, isNull, lte, notExists, or } from 'drizzle-orm';
import Stripe from 'stripe';
import type { BookingRepository } from '../bookings/booking.repository.js';
import type { Database } from '../db/client.js';
import { bookings } from '../db/schema/bookings.schema.js';
import { payments, refunds } from '../db/schema/payments.schema.js';
import { type BookingCheckoutService, EXPIRED, HOLD_RAN_OUT } from './booking-checkout.service.js';
import type { PaymentsRepository } from './payments.repository.js';

export interface ExpirySweep {
  /** Holds given up: their sessions expired at Stripe, their time freed. */
  expired: number;
  /** Left for the next sweep: Stripe did not answer, or the session was paid meanwhile. */
  kept: number;
  /** Bookings whose late payment's refund was asked again (its first try found Stripe down). */
  refundsRetried: number;
}

/**
 * A checkout hold whose time ran out: its Checkout Session is expired at Stripe first (key
 * `expire:<booking>:<attempt>`), so nobody can pay for time we give away; only then is the hold
 * marked `expired`, which frees its time but keeps the row, so a payment that still arrives finds
 * its booking (confirmed if the time is still free, else refunded). A session Stripe says is
 * complete is left to its payment; Stripe unreachable, the hold stays until a later sweep.
 */
export class CheckoutExpiryService {
  constructor(
    private readonly db: Database,
    private readonly bookingRepo: BookingRepository,
    private readonly paymentsRepo: PaymentsRepository,
    private readonly checkout: BookingCheckoutService,
    private readonly stripe: Stripe | null,
  ) {}

  async sweep(now = new Date(), limit = 100): Promise<ExpirySweep> {
    const stripe = this.stripe;
    if (!stripe) return { expired: 0, kept: 0, refundsRetried: 0 };
    const due = await this.db
      .select({ bookingId: bookings.id, checkoutId: payments.providerCheckoutId, attempt: payments.attempt })
      .from(bookings)
      .innerJoin(payments, eq(payments.bookingId, bookings.id))
      .where(
        and(
          eq(bookings.status, 'pending'),
          lte(bookings.holdExpiresAt, now),
          eq(payments.kind, 'online'),
          inArray(payments.status, ['pending', 'failed']),
          isNotNull(payments.providerCheckoutId),
        ),
      )
      .limit(limit);
    const byBooking = new Map<string, typeof due>();
    for (const d of due) byBooking.set(d.bookingId, [...(byBooking.get(d.bookingId) ?? []), d]);
    let expired = 0;
    let kept = 0;
    for (const [bookingId, sessions] of byBooking) {
      const closed = await Promise.all(sessions.map((s) => this.expireAtStripe(stripe, bookingId, s)));
      if (closed.every(Boolean) && (await this.giveUp(bookingId))) expired++;
      else kept++;
    }
    return { expired, kept, refundsRetried: await this.retryRefunds(limit) };
  }

  /**
   * Money paid through a checkout for a booking that is gone or expired, never refunded nor asked
   * to be: the process stopped between the payment's commit and its refund. Asked again
   * (`afterApplied` decides from the ledger). A refund Stripe refused is left to staff, not retried.
   */
  private async retryRefunds(limit: number): Promise<number> {
    const owed = await this.db
      .selectDistinct({ bookingId: payments.bookingId })
      .from(payments)
      .leftJoin(bookings, eq(bookings.id, payments.bookingId))
      .where(
        and(
          eq(payments.kind, 'online'),
          eq(payments.status, 'succeeded'),
          isNotNull(payments.providerCheckoutId),
          or(isNull(bookings.id), eq(bookings.status, EXPIRED)),
          notExists(
            this.db.select({ id: refunds.id }).from(refunds).where(eq(refunds.paymentId, payments.id)),
          ),
        ),
      )
      .limit(limit);
    let asked = 0;
    for (const { bookingId } of owed) {
      // One booking's failure (Stripe refusing it) must not stop the others: the next sweep retries.
      if (
        await this.checkout.afterApplied(bookingId).then(
          () => true,
          () => false,
        )
      )
        asked++;
    }
    return asked;
  }

  /** true once the session can no longer take money (expired now or before); false if paid or unknown. */
  private async expireAtStripe(
    stripe: Stripe,
    bookingId: string,
    s: { checkoutId: string | null; attempt: number },
  ): Promise<boolean> {
    const id = s.checkoutId!;
    try {
      await stripe.checkout.sessions.expire(id, {}, { idempotencyKey: `expire:${bookingId}:${s.attempt}` });
      return true;
    } catch (error) {
      if (!(error instanceof Stripe.errors.StripeInvalidRequestError)) return false;
      // Not open any more: expired already is fine; complete means the payment is on its way.
      const session = await stripe.checkout.sessions.retrieve(id).catch(() => null);
      return session?.status === 'expired';
    }
  }

  /** Marks the hold expired unless its payment confirmed it meanwhile (same lock as the payment). */
  private async giveUp(bookingId: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await this.paymentsRepo.lockBooking(tx, bookingId);
      const row = await this.bookingRepo.lockById(tx, bookingId);
      if (row?.status !== 'pending') return false;
      await this.bookingRepo.update(tx, bookingId, { status: EXPIRED, cancellationReason: HOLD_RAN_OUT });
      return true;
    });
  }
}
