import type { Booking } from '@clubos/shared/api';
import { DomainError } from '@clubos/shared/errors';
import type { Facility } from '@clubos/shared/model';
import { amountDueOnline, ledgerTotals, refundableCents } from '@clubos/shared/payments';
import Stripe from 'stripe';
import { toBookingResponse } from '../bookings/booking.mapper.js';
import type { BookingRepository, BookingRow } from '../bookings/booking.repository.js';
import type { BookingWriter } from '../bookings/booking.writer.js';
import { setPaymentStatuses } from '../bookings/booking-payment-status.js';
import type { Database, Transaction } from '../db/client.js';
import { SQLSTATE, sqlState } from '../db/errors.js';
import type { ChangeLogRepository } from '../edge-feed/change-log.repository.js';
import type { FacilityRepository } from '../facilities/facility.repository.js';
import type { PaymentService } from './payment.service.js';
import type { PaymentPolicyService } from './payment-policy.service.js';
import type { PaymentRow, PaymentsRepository } from './payments.repository.js';
import type { PaymentSettlement, SucceededBooking } from './stripe-webhook.service.js';

/** A checkout hold whose time ran out; not covered by the exclusion constraint, so the time is free. */
export const EXPIRED = 'expired';

/** What the customer reads when their money came after the time was sold. */
export const SOLD_WHILE_PAYING =
  'Your payment arrived after your hold had expired and the time was booked by someone else, so it is refunded to you in full.';
export const HOLD_RAN_OUT = 'The hold expired before the payment was completed.';

/** A booking answer that asks the customer to pay first. */
export type CheckoutAnswer = Booking & { checkout_url: string };

/** `paid` once what succeeded covers the price, else `deposit_paid` (the rest is paid at the venue). */
export function paidStatusOf(priceCents: number, paidCents: number): 'paid' | 'deposit_paid' {
  return paidCents >= priceCents ? 'paid' : 'deposit_paid';
}

const unreachable = () =>
  new DomainError(
    'NOT_READY',
    'The payment provider is not answering; nothing was charged and your hold is kept, please try again',
  );

/**
 * A booking confirmed by its payment (docs/decisions/018-payments.md): when the facility asks money
 * online, confirming a hold starts a Checkout Session instead; the payment's success (webhook or
 * return page, whichever first, under the booking's payment lock) confirms it exactly once. Money
 * that arrives for time sold meanwhile is refunded in full, and the booking says why.
 */
export class BookingCheckoutService implements PaymentSettlement {
  /** Bookings confirmed by a transaction not yet committed → their facility, to nudge after it. */
  private readonly justConfirmed = new Map<string, string>();

  constructor(
    private readonly db: Database,
    private readonly bookings: BookingRepository,
    private readonly payments: PaymentsRepository,
    private readonly facilities: FacilityRepository,
    private readonly policies: PaymentPolicyService,
    private readonly paymentService: PaymentService,
    private readonly writer: BookingWriter,
    private readonly changeLog: ChangeLogRepository,
    private readonly stripe: Stripe | null,
  ) {}

  /** Whether a booking of this price at this facility is paid online before it is confirmed. */
  async asksOnline(facilityId: string, priceCents: number): Promise<boolean> {
    if (!this.stripe) return false;
    return amountDueOnline(priceCents, await this.policies.policyOf(facilityId)) > 0;
  }

  /**
   * The checkout of a live hold: its open session again when there is one (a retried confirmation
   * must not open a second way to pay), else a new one. The hold stays pending.
   */
  async begin(holdId: string, origin: string): Promise<CheckoutAnswer> {
    const open = await this.openSessionUrl(holdId);
    const checkoutUrl =
      open ??
      (
        await this.paymentService.startCheckout(holdId, {
          successUrl: `${origin}/checkout/return?session_id={CHECKOUT_SESSION_ID}`,
          cancelUrl: `${origin}/checkout/return?booking_id=${holdId}`,
        })
      ).checkoutUrl;
    const hold = await this.bookings.findById(holdId);
    if (!hold) throw new DomainError('NOT_FOUND', `hold ${holdId} was not found`, { field: 'hold_id' });
    return { ...toBookingResponse(hold, null), checkout_url: checkoutUrl };
  }

  /** The open hosted page of a hold's latest checkout, if any (null once paid, expired or failed). */
  async openSessionUrl(holdId: string): Promise<string | null> {
    const stripe = this.stripe;
    if (!stripe) return null;
    const pending = (await this.payments.paymentsOf(holdId))
      // A declined card fails the attempt but leaves its session open for another card.
      .filter((p) => p.kind === 'online' && (p.status === 'pending' || p.status === 'failed'))
      .filter((p) => p.providerCheckoutId)
      .at(-1);
    if (!pending?.providerCheckoutId) return null;
    try {
      const session = await stripe.checkout.sessions.retrieve(pending.providerCheckoutId);
      return session.status === 'open' ? session.url : null;
    } catch (error) {
      if (error instanceof Stripe.errors.StripeInvalidRequestError) return null;
      throw unreachable();
    }
  }

  /**
   * In the ledger's transaction, booking payment lock held: the payment stands succeeded. A pending
   * hold (expired or not: while the row exists, the time is still its own) is confirmed; an
   * expired checkout is confirmed if its time is still free; else it is left for `afterApplied`.
   */
  async paymentSucceeded(tx: Transaction, payment: PaymentRow): Promise<void> {
    const row = await this.bookings.lockById(tx, payment.bookingId);
    if (!row) return;
    const paid = ledgerTotals(await this.payments.ledgerOf(tx, row.id)).paidCents;
    const paymentStatus = paidStatusOf(row.priceCents, paid);
    if (row.status !== 'pending' && row.status !== EXPIRED) {
      if (row.paymentStatus !== paymentStatus && row.status !== 'cancelled') {
        await this.bookings.update(tx, row.id, { paymentStatus });
      }
      return;
    }
    // Already found sold by an earlier event of this payment: its refund is under way or done.
    if (row.status === EXPIRED && row.cancellationReason === SOLD_WHILE_PAYING) return;
    const facility = (await this.facilities.findFacility(row.facilityId, tx))!;
    const bay = (await this.facilities.findBay(row.simulatorId, tx))!;
    await this.confirmOrSold(tx, row, facility, bay.unifi_door_id, paymentStatus);
  }

  /**
   * `paymentSucceeded` for a webhook batch's bookings (`paidCents`: what each ledger has paid, as
   * the batch leaves it), set-based: the rows locked in id order in one statement, the pending
   * holds confirmed in one statement per facility, the other rows' `payment_status` in one. An
   * expired checkout (rare: paid after its hold ran out) goes alone, in its savepoint.
   */
  async paymentsSucceeded(tx: Transaction, settled: SucceededBooking[]): Promise<void> {
    const paidOf = new Map(settled.map((s) => [s.bookingId, s.paidCents]));
    const rows = await this.bookings.lockByIds(tx, [...paidOf.keys()]);
    const holds: BookingRow[] = [];
    const expired: BookingRow[] = [];
    const changes: { id: string; to: string; was: string | null }[] = [];
    for (const row of rows) {
      const to = paidStatusOf(row.priceCents, paidOf.get(row.id)!);
      if (row.status === 'pending') holds.push(row);
      else if (row.status === EXPIRED) {
        if (row.cancellationReason !== SOLD_WHILE_PAYING) expired.push(row);
      } else if (row.paymentStatus !== to && row.status !== 'cancelled')
        changes.push({ id: row.id, to, was: row.paymentStatus });
    }
    await setPaymentStatuses(tx, changes);
    const facilityIds = [...new Set(holds.map((h) => h.facilityId))].sort();
    const facilities = new Map<string, Facility>();
    for (const id of facilityIds) facilities.set(id, (await this.facilities.findFacility(id, tx))!);
    const bays = new Map(
      (await this.facilities.baysByIds([...new Set(holds.map((h) => h.simulatorId))], tx)).map((b) => [
        b.id,
        b,
      ]),
    );
    // Customers' rows in id order before the first facility's statement takes some (no cycle).
    if (facilityIds.length > 1) await this.bookings.lockByIds(tx, [...paidOf.keys()], true);
    for (const facilityId of facilityIds) {
      const confirmed = await this.writer.confirmHoldsIn(
        tx,
        holds
          .filter((h) => h.facilityId === facilityId)
          .map((hold) => ({
            hold,
            facility: facilities.get(facilityId)!,
            bayDoorId: bays.get(hold.simulatorId)?.unifi_door_id ?? null,
            paymentStatus: paidStatusOf(hold.priceCents, paidOf.get(hold.id)!),
          })),
      );
      for (const row of confirmed) this.justConfirmed.set(row.id, row.facilityId);
    }
    for (const row of expired) {
      const facility = (await this.facilities.findFacility(row.facilityId, tx))!;
      const bay = (await this.facilities.findBay(row.simulatorId, tx))!;
      const to = paidStatusOf(row.priceCents, paidOf.get(row.id)!);
      await this.confirmOrSold(tx, row, facility, bay.unifi_door_id, to);
    }
  }

  /** Confirms a locked hold in a savepoint; time sold meanwhile (an expired hold's) leaves it `expired`, sold. */
  private async confirmOrSold(
    tx: Transaction,
    row: BookingRow,
    facility: Facility,
    bayDoorId: string | null,
    paymentStatus: string,
  ): Promise<void> {
    try {
      // A savepoint: a refusal by the exclusion constraint must not abort the ledger's transaction.
      await tx.transaction((sp) =>
        this.writer.confirmHoldIn(sp, row, facility, bayDoorId, {
          customerId: null,
          metadata: {},
          paymentStatus,
          respond: () => null,
        }),
      );
      this.justConfirmed.set(row.id, row.facilityId);
    } catch (error) {
      if (sqlState(error) !== SQLSTATE.exclusionViolation) throw error;
      await this.bookings.update(tx, row.id, {
        status: EXPIRED,
        cancellationReason: SOLD_WHILE_PAYING,
        paymentStatus: 'refund_due',
      });
    }
  }

  /**
   * After the ledger's commit: money paid towards a booking that is gone (its hold was deleted for
   * someone else's booking) or expired is refunded in full. Idempotent: what is already refunded
   * or being refunded is not refundable any more, and a concurrent twin's refund is the answer.
   */
  async afterApplied(bookingId: string): Promise<void> {
    const facilityId = this.justConfirmed.get(bookingId);
    if (facilityId !== undefined) {
      this.justConfirmed.delete(bookingId);
      // The append told the edge streams before the commit; tell them again now it is visible.
      this.changeLog.appended(facilityId);
    }
    if (!this.stripe) return;
    const row = await this.bookings.findById(bookingId);
    if (row && row.status !== EXPIRED) return;
    // Only what was paid through a checkout of this hold: other payments are not this flow's to return.
    const checkouts = (await this.payments.paymentsOf(bookingId)).filter(
      (p) => p.kind === 'online' && p.providerCheckoutId !== null,
    );
    if (checkouts.length === 0) return;
    const ledger = await this.payments.ledgerOf(this.db, bookingId);
    const left = checkouts.reduce((sum, p) => sum + refundableCents(ledger, p.id), 0);
    if (left === 0) return;
    if (row && row.cancellationReason !== SOLD_WHILE_PAYING) {
      await this.bookings.update(this.db, row.id, {
        cancellationReason: SOLD_WHILE_PAYING,
        paymentStatus: 'refund_due',
      });
    }
    try {
      const issued = await this.paymentService.refund(bookingId, left, SOLD_WHILE_PAYING, 'system');
      if (row && issued.every((r) => r.status === 'succeeded')) {
        await this.bookings.update(this.db, row.id, { paymentStatus: 'refunded', refundCents: left });
      }
    } catch (error) {
      // A twin (webhook and return page at once) reserved the money first.
      if (error instanceof DomainError && error.code === 'VALIDATION_FAILED') return;
      throw error;
    }
  }

  /** The booking row of a payment, if it still exists. */
  bookingOf(payment: PaymentRow): Promise<BookingRow | undefined> {
    return this.bookings.findById(payment.bookingId);
  }
}
