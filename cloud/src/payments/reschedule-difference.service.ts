import { amountDueOnline, type PaymentPolicy } from '@clubos/shared/payments';
import type { Executor } from '../db/client.js';
import type { PaymentService } from './payment.service.js';
import type { PaymentPolicyService } from './payment-policy.service.js';
import type { PaymentsRepository } from './payments.repository.js';
import type { RefundPolicyService } from './refund-policy.service.js';

/** What a move decided about money, to act on after its commit. */
export interface DifferencePlan {
  refundIds: string[];
  /** More to pay online (a dearer slot); 0 when nothing. */
  chargeCents: number;
  currency: string;
}

/** The difference a dearer slot leaves to pay, with the Checkout page that takes it (null: not made yet). */
export interface BalanceDue {
  amount_cents: number;
  currency: string;
  checkout_url: string | null;
}

const NOTHING: DifferencePlan = { refundIds: [], chargeCents: 0, currency: 'usd' };

/**
 * A paid booking moved to another slot pays or gets back the difference of what its facility's
 * policy asks online for the two prices: a cheaper slot refunds it to the card (planned in the
 * move's transaction, sent after the commit like a cancellation's refund); a dearer one gets a
 * Checkout Session for the difference. A booking not paid online settles at the venue, as today.
 */
export class RescheduleDifferenceService {
  constructor(
    private readonly payments: PaymentService | null,
    private readonly repo: PaymentsRepository,
    private readonly policies: PaymentPolicyService,
    private readonly refunds: RefundPolicyService,
  ) {}

  /** Holds the booking's ledger lock for the move's transaction and says what was paid online. */
  paidOnline(tx: Executor, bookingId: string): Promise<number> {
    return this.refunds.paidOnline(tx, bookingId);
  }

  /** The facility's payment policy, read before the move's transaction (one connection on PGlite). */
  policyFor(facilityId: string): Promise<PaymentPolicy> {
    return this.policies.policyOf(facilityId);
  }

  async plan(
    tx: Executor,
    booking: { id: string },
    policy: PaymentPolicy,
    prices: { before: number; after: number },
    paidOnlineCents: number,
    actor: string,
  ): Promise<DifferencePlan> {
    const [oldPriceCents, newPriceCents] = [prices.before, prices.after];
    if (!this.payments || paidOnlineCents === 0 || oldPriceCents === newPriceCents) return NOTHING;
    const delta = amountDueOnline(newPriceCents, policy) - amountDueOnline(oldPriceCents, policy);
    if (delta > 0) return { refundIds: [], chargeCents: delta, currency: policy.currency };
    const back = Math.min(-delta, paidOnlineCents);
    if (back === 0) return NOTHING;
    const rows = await this.payments.planRefunds(
      tx,
      booking.id,
      back,
      `rescheduled: ${oldPriceCents} → ${newPriceCents}`,
      actor,
    );
    return { refundIds: rows.map((r) => r.id), chargeCents: 0, currency: policy.currency };
  }

  /** After the move committed: sends the refund, or opens the Checkout for the difference. */
  async settle(
    bookingId: string,
    plan: DifferencePlan,
    returnUrl: string | undefined,
  ): Promise<BalanceDue | null> {
    this.refunds.deliverSoon(plan.refundIds);
    if (plan.chargeCents === 0) return null;
    const due = { amount_cents: plan.chargeCents, currency: plan.currency };
    if (!returnUrl) return { ...due, checkout_url: null };
    try {
      return { ...due, checkout_url: await this.checkout(bookingId, plan, returnUrl) };
    } catch {
      // The move stands; the difference is still owed and shown without a link (Stripe did not answer).
      return { ...due, checkout_url: null };
    }
  }

  private async checkout(bookingId: string, plan: DifferencePlan, returnUrl: string): Promise<string | null> {
    const first = (await this.repo.paymentsOf(bookingId))[0];
    if (!first || !this.payments) return null;
    const opened = await this.payments.openCheckout({
      operation: 'reschedule',
      bookingId,
      facilityId: first.facilityId,
      amountCents: plan.chargeCents,
      currency: plan.currency,
      productName: 'Difference for the new time',
      successUrl: returnUrl,
      cancelUrl: returnUrl,
    });
    return opened.url;
  }
}
