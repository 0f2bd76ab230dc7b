import { randomUUID } from 'node:crypto';
import type { WalkInPaymentOffer } from '@clubos/shared/api/edge-lan';
import type { TerminalPayment } from '@clubos/shared/api/terminal.schemas';
import { DomainError, invalidState } from '@clubos/shared/errors';
import { formatMoney } from '@clubos/shared/pricing';
import type { EdgeDatabase } from '../db/database.js';
import type { LinkState } from '../sync/link-state.js';
import { enqueueEvent } from '../sync/outbox.repository.js';
import { planSlot } from '../walk-ins/slot-check.js';
import type { WalkInRequest, WalkInResult, WalkInService } from '../walk-ins/walk-in.service.js';
import { type CloudPayments, CloudUnreachable } from './cloud-payments.client.js';
import { insertDue } from './walk-in-dues.repository.js';
import type { WalkInPolicy } from './walk-in-policy.js';

export const TO_COLLECT_EVENT = 'walk_in.to_collect';

export interface WalkInPaymentDeps {
  database: EdgeDatabase;
  walkIns: WalkInService;
  /** Null without a cloud: nothing can be charged, walk-ins are sold as before. */
  cloud: CloudPayments | null;
  link: LinkState | null;
  /** Read on every sale: the replicated facility policy (or the box's override), live. */
  policy: () => WalkInPolicy;
  now: () => number;
}

export type PaidWalkIn = WalkInResult & { payment?: 'paid' | 'to_collect' };

const offlineNow = () =>
  new DomainError(
    'NOT_READY',
    'The venue lost its connection while paying; nothing was charged, please try again',
  );

/**
 * Walk-ins at a venue that charges them on its card reader (docs/decisions/018-payments.md). Online,
 * the reader takes the card through the cloud before the walk-in is sold: authorised, sold, then
 * captured, or released when the sale is refused. Offline, the card cannot be charged: a walk-in up
 * to the cap is sold "to collect" (owed, in the outbox with the sale) and staff settle it later.
 */
export class WalkInPaymentService {
  constructor(private readonly deps: WalkInPaymentDeps) {}

  private get charging(): CloudPayments | null {
    return this.deps.policy().card ? this.deps.cloud : null;
  }

  /** How this walk-in pays; starts the reader when the cloud answers. */
  async offer(request: WalkInRequest): Promise<WalkInPaymentOffer> {
    const amount = this.priceOf(request);
    const cloud = this.charging;
    if (cloud === null || amount === 0)
      return { method: 'none', amount_cents: amount, payment: null, message: 'No payment is taken here.' };
    try {
      const payment = await cloud.start({
        booking_id: randomUUID(),
        amount_cents: amount,
        purpose: 'walk_in',
      });
      this.deps.link?.succeeded();
      return { method: 'reader', amount_cents: amount, payment, message: payment.message };
    } catch (error) {
      if (!(error instanceof CloudUnreachable)) throw error;
      this.deps.link?.failed(error);
      this.assertUnderCap(amount);
      return {
        method: 'to_collect',
        amount_cents: amount,
        payment: null,
        message: `The venue is offline and cannot take cards right now: please pay ${formatMoney(amount)} at the desk.`,
      };
    }
  }

  async payment(paymentId: string): Promise<TerminalPayment> {
    return this.cloudCall((cloud) => cloud.status(paymentId));
  }

  async cancel(paymentId: string): Promise<TerminalPayment> {
    return this.cloudCall((cloud) => cloud.cancel(paymentId));
  }

  /** Sells the walk-in: paid (an authorised reader payment), "to collect" (offline), or as before. */
  async sell(request: WalkInRequest, paymentId: string | undefined): Promise<PaidWalkIn> {
    const cloud = this.charging;
    if (cloud !== null && paymentId !== undefined) return this.sellPaid(cloud, request, paymentId);
    if (cloud === null || this.priceOf(request) === 0) return this.deps.walkIns.sell(request);
    if (this.deps.link?.online === true) {
      throw new DomainError(
        'UNPROCESSABLE',
        'This venue takes walk-in payment on the card reader: start the payment first (POST /walk-ins/payments)',
        { field: 'payment_id' },
      );
    }
    return this.sellToCollect(request);
  }

  private async sellPaid(
    cloud: CloudPayments,
    request: WalkInRequest,
    paymentId: string,
  ): Promise<PaidWalkIn> {
    const payment = await this.cloudCall((c) => c.status(paymentId));
    if (payment.status !== 'authorized')
      throw invalidState(`The card payment is ${payment.status}: ${payment.message}`, {
        payment_id: paymentId,
      });
    let sold: WalkInResult;
    try {
      if (payment.amount_cents !== this.priceOf(request))
        throw invalidState('The price changed while paying; nothing was charged, please start again');
      sold = await this.deps.walkIns.sell(request, { bookingId: payment.booking_id });
    } catch (error) {
      // Refused (sold meanwhile): the authorisation is released, the customer is not charged.
      await cloud.cancel(paymentId).catch(() => undefined);
      throw error;
    }
    try {
      await cloud.capture(paymentId);
      return { ...sold, payment: 'paid' };
    } catch (error) {
      if (!(error instanceof CloudUnreachable)) throw error;
      // Sold, but the money could not be taken: owed at the desk (the authorisation lapses uncaptured).
      this.recordDue(sold.booking.id, payment.amount_cents, request.sold_by);
      return { ...sold, payment: 'to_collect', message: `${sold.message} Please pay at the desk.` };
    }
  }

  private async sellToCollect(request: WalkInRequest): Promise<PaidWalkIn> {
    this.assertUnderCap(this.priceOf(request));
    const sold = await this.deps.walkIns.sell(request, {
      offlineOnly: true,
      alsoRecord: (booking, now) => this.recordDueIn(booking.id, booking.price_cents, request.sold_by, now),
    });
    return {
      ...sold,
      payment: 'to_collect',
      message: `${sold.message} Please pay ${formatMoney(sold.quote.total_cents)} at the desk.`,
    };
  }

  private recordDue(bookingId: string, amount: number, soldBy: string): void {
    this.deps.database.immediate(() => this.recordDueIn(bookingId, amount, soldBy, this.deps.now()));
  }

  /** The due and its outbox event, inside the caller's transaction. */
  private recordDueIn(bookingId: string, amount: number, soldBy: string, now: number): void {
    const db = this.deps.database.db;
    insertDue(db, { booking_id: bookingId, amount_cents: amount, sold_by: soldBy, created_at: now });
    enqueueEvent(db, {
      event_id: randomUUID(),
      type: TO_COLLECT_EVENT,
      occurred_at: now,
      payload: { booking_id: bookingId, amount_cents: amount },
    });
  }

  private assertUnderCap(amount: number): void {
    const cap = this.deps.policy().toCollectCapCents;
    if (amount > cap) {
      throw new DomainError(
        'UNPROCESSABLE',
        `The venue is offline and cannot take cards; a walk-in over ${formatMoney(cap)} cannot be sold until the connection returns (this one is ${formatMoney(amount)}). Please ask at the desk.`,
        { field: 'duration' },
      );
    }
  }

  private priceOf(request: WalkInRequest): number {
    return planSlot(
      this.deps.database.db,
      { simulatorId: request.simulator_id, start: request.start, durationMinutes: request.duration_minutes },
      this.deps.now(),
    ).quote.total_cents;
  }

  private async cloudCall<T>(fn: (cloud: CloudPayments) => Promise<T>): Promise<T> {
    const cloud = this.deps.cloud;
    if (cloud === null) throw new DomainError('UNPROCESSABLE', 'This venue takes no card payments');
    try {
      return await fn(cloud);
    } catch (error) {
      if (error instanceof CloudUnreachable) throw offlineNow();
      throw error;
    }
  }
}
