import type { CancellationPreview } from '@clubos/shared/api/guest-access.schemas';
import { cancellationPolicyFromSettings } from '@clubos/shared/booking';
import { badRequest } from '@clubos/shared/errors';
import { type CancellationRefund, cancellationRefund } from '@clubos/shared/payments';
import { centsToDollars } from '@clubos/shared/pricing';
import type { Database, Executor } from '../db/client.js';
import type { PaymentService } from './payment.service.js';
import type { RefundRow } from './payments.repository.js';
import type { RefundOutboxRepository } from './refund-outbox.repository.js';

/** The booking fields a cancellation quote needs. */
export interface QuotedBooking {
  id: string;
  priceCents: number;
  startTime: Date;
}

/** Staff's amount instead of the policy's, with who and why (the audit row). */
export interface RefundOverride {
  actorUserId: string;
  amountCents: number;
  reason: string;
}

/**
 * The refund a cancellation gives, by the facility's policy, on what was paid online (or, unpaid,
 * on the price, owed at the venue); planned in the cancellation's own transaction (refund rows and
 * their outbox rows) and sent to Stripe after the commit. Without Stripe every refund is at the venue.
 */
export class RefundPolicyService {
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly db: Database,
    private readonly payments: PaymentService | null,
    private readonly outbox: RefundOutboxRepository,
    private readonly onError: (error: unknown, refundId: string) => void = () => {},
  ) {}

  /**
   * What is left to refund to the card, holding the booking's ledger lock until `tx` ends. Taken
   * before the booking row's lock, in the order the webhooks take them.
   */
  async paidOnline(tx: Executor, bookingId: string): Promise<number> {
    return this.payments ? this.payments.refundableOnline(tx, bookingId) : 0;
  }

  quote(
    booking: QuotedBooking,
    settings: Record<string, unknown>,
    paidOnlineCents: number,
    now = Date.now(),
  ): CancellationRefund {
    return cancellationRefund({
      policy: cancellationPolicyFromSettings(settings),
      priceCents: booking.priceCents,
      paidOnlineCents,
      start: booking.startTime.getTime(),
      now,
    });
  }

  /** The preview shown before the customer confirms: the figure `cancel` then gives. */
  async preview(booking: QuotedBooking, settings: Record<string, unknown>): Promise<CancellationPreview> {
    const paid = await this.db.transaction((tx) => this.paidOnline(tx, booking.id));
    const outcome = this.quote(booking, settings, paid);
    return {
      refund_cents: outcome.refund_cents,
      refund: centsToDollars(outcome.refund_cents),
      refund_percent: outcome.refund_percent,
      rule: outcome.rule,
      explanation: outcome.explanation,
      via: outcome.via,
    };
  }

  /**
   * The amount a cancellation refunds: the policy's, waived (`refund: false`), or staff's override
   * (audited in `tx`, at most what was paid online, or the price when nothing was).
   */
  async decide(
    tx: Executor,
    booking: { id: string; facilityId: string },
    quoted: CancellationRefund,
    paidOnlineCents: number,
    priceCents: number,
    waived: boolean,
    override: RefundOverride | null,
  ): Promise<number> {
    if (!override) return waived ? 0 : quoted.refund_cents;
    const ceiling = paidOnlineCents > 0 ? paidOnlineCents : priceCents;
    if (override.amountCents > ceiling) {
      throw badRequest(
        'refund_cents',
        paidOnlineCents > 0
          ? `at most ${ceiling} was paid online and can be refunded`
          : `at most the price (${ceiling}) can be refunded`,
      );
    }
    await this.outbox.insertOverride(tx, {
      facilityId: booking.facilityId,
      bookingId: booking.id,
      actorUserId: override.actorUserId,
      policyCents: quoted.refund_cents,
      amountCents: override.amountCents,
      reason: override.reason,
    });
    return override.amountCents;
  }

  /** Plans the card refund in the cancellation's transaction (nothing when it is owed at the venue). */
  async plan(
    tx: Executor,
    bookingId: string,
    amountCents: number,
    paidOnlineCents: number,
    reason: string,
    actor: string,
  ): Promise<RefundRow[]> {
    if (!this.payments || paidOnlineCents === 0 || amountCents === 0) return [];
    return this.payments.planRefunds(tx, bookingId, amountCents, reason, actor);
  }

  /**
   * Sends planned refunds after their transaction committed, in the background: Stripe's answer
   * never delays or undoes the cancellation; what gets no answer stays in the outbox.
   */
  deliverSoon(refundIds: string[]): void {
    const payments = this.payments;
    if (!payments) return;
    for (const refundId of refundIds) {
      const run = payments
        .deliverRefund(refundId)
        .catch((error) => this.onError(error, refundId))
        .finally(() => this.inFlight.delete(run));
      this.inFlight.add(run);
    }
  }

  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}
