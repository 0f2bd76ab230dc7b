import { amountDueOnline, type PaymentPolicy } from '@clubos/shared/payments';
import type { Executor } from '../db/client.js';
import type { PaymentService } from './payment.service.js';
import type { PaymentPolicyService } from './payment-policy.service.js';
import type { PaymentsRepository } from './payments.repository.js';
import type { RefundPolicyService } from './refund-policy.service.js';
import type { SavedCardChargeService } from './saved-card-charge.service.js';

/** What a move decided about money, to act on after its commit. */
export interface DifferencePlan {
  refundIds: string[];
  /** More to pay online (a dearer slot); 0 when nothing. */
  chargeCents: number;
  currency: string;
  /** Whose saved card a dearer move tries first (null: a guest or a desk booking without one). */
  customerId: string | null;
  facilityId: string | null;
}

/** The difference a dearer slot leaves to pay, with the Checkout page that takes it (null: not made yet). */
export interface BalanceDue {
  amount_cents: number;
  currency: string;
  checkout_url: string | null;
  /** true: charged on the customer's saved card, nothing left to pay. */
  paid_on_saved_card?: boolean;
  /** Why the saved card was not charged (declined, or Stripe did not answer), for the customer and staff. */
  saved_card_error?: string | null;
}

const NOTHING: DifferencePlan = {
  refundIds: [],
  chargeCents: 0,
  currency: 'usd',
  customerId: null,
  facilityId: null,
};

/**
 * A paid booking moved to another slot pays or gets back the difference of what its facility's
 * policy asks online for the two prices: a cheaper slot refunds it to the card (planned in the
 * move's transaction, sent after the commit like a cancellation's refund); a dearer one is charged
 * off session on the customer's saved card when there is one (key `reschedule-card:<booking>:<attempt>`),
 * else, or when that is declined, gets a Checkout Session for the difference. A booking not paid
 * online settles at the venue, as today.
 */
export class RescheduleDifferenceService {
  constructor(
    private readonly payments: PaymentService | null,
    private readonly repo: PaymentsRepository,
    private readonly policies: PaymentPolicyService,
    private readonly refunds: RefundPolicyService,
    private readonly savedCards: SavedCardChargeService | null = null,
    private readonly onCardError: (bookingId: string, message: string) => void = () => {},
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
    booking: { id: string; customerId: string | null; facilityId: string },
    policy: PaymentPolicy,
    prices: { before: number; after: number },
    paidOnlineCents: number,
    actor: string,
  ): Promise<DifferencePlan> {
    const [oldPriceCents, newPriceCents] = [prices.before, prices.after];
    if (!this.payments || paidOnlineCents === 0 || oldPriceCents === newPriceCents) return NOTHING;
    const delta = amountDueOnline(newPriceCents, policy) - amountDueOnline(oldPriceCents, policy);
    const who = { customerId: booking.customerId, facilityId: booking.facilityId };
    if (delta > 0) return { refundIds: [], chargeCents: delta, currency: policy.currency, ...who };
    const back = Math.min(-delta, paidOnlineCents);
    if (back === 0) return NOTHING;
    const rows = await this.payments.planRefunds(
      tx,
      booking.id,
      back,
      `rescheduled: ${oldPriceCents} → ${newPriceCents}`,
      actor,
    );
    return { refundIds: rows.map((r) => r.id), chargeCents: 0, currency: policy.currency, ...who };
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
    const card = await this.chargeSavedCard(bookingId, plan);
    if (card.status === 'succeeded') return { ...due, checkout_url: null, paid_on_saved_card: true };
    const failure =
      card.status === 'no_card' ? {} : { paid_on_saved_card: false, saved_card_error: card.message };
    if (card.status !== 'no_card') this.onCardError(bookingId, card.message);
    // Stripe may have taken it after all: its webhook settles the row; a second way to pay is not offered.
    if (card.status === 'unknown' || !returnUrl) return { ...due, checkout_url: null, ...failure };
    try {
      return { ...due, checkout_url: await this.checkout(bookingId, plan, returnUrl), ...failure };
    } catch {
      // The move stands; the difference is still owed and shown without a link (Stripe did not answer).
      return { ...due, checkout_url: null, ...failure };
    }
  }

  private async chargeSavedCard(bookingId: string, plan: DifferencePlan) {
    if (!this.savedCards || plan.facilityId === null) return { status: 'no_card' as const };
    return this.savedCards.charge({
      bookingId,
      facilityId: plan.facilityId,
      customerId: plan.customerId,
      amountCents: plan.chargeCents,
      currency: plan.currency,
      operation: 'reschedule-card',
      description: 'Difference for the new time',
    });
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
