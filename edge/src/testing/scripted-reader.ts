import { randomUUID } from 'node:crypto';
import type { TerminalPayment, WalkInDue } from '@clubos/shared/api/terminal.schemas';
import { type CloudPayments, CloudUnreachable } from '../payments/cloud-payments.client.js';

/**
 * The cloud's payment endpoints as a card reader the test taps by hand, for suites that run the
 * edge on a fake cloud (the kiosk and console in Chromium). The real path (cloud, Stripe simulator)
 * is `payments/walk-in-payment.real-cloud.test.ts`.
 */
export class ScriptedReader implements CloudPayments {
  readonly payments = new Map<string, TerminalPayment>();
  readonly settled: WalkInDue[] = [];
  /** The cloud cannot be reached: every call fails as a cut line does. */
  offline = false;
  /** Only the capture gets no answer (the link drops between the sale and the capture). */
  captureUnanswered = false;

  /** The card on the reader: accepted (authorised, or paid for a settlement) or declined. */
  present(outcome: 'accepted' | 'declined'): TerminalPayment {
    const waiting = [...this.payments.values()].find((p) => p.status === 'waiting');
    if (!waiting) throw new Error('no payment is waiting on the reader');
    const next: TerminalPayment =
      outcome === 'declined'
        ? {
            ...waiting,
            status: 'declined',
            message: 'The card was declined (Your card was declined.); nothing was charged',
          }
        : {
            ...waiting,
            status: this.purposes.get(waiting.payment_id) === 'settle' ? 'succeeded' : 'authorized',
            message: 'Card accepted',
          };
    this.payments.set(waiting.payment_id, next);
    return next;
  }

  private readonly purposes = new Map<string, 'walk_in' | 'settle'>();

  async start(body: { booking_id: string; amount_cents: number; purpose: 'walk_in' | 'settle' }) {
    this.reachable();
    const payment: TerminalPayment = {
      payment_id: randomUUID(),
      booking_id: body.booking_id,
      amount_cents: body.amount_cents,
      currency: 'usd',
      status: 'waiting',
      message: 'Tap or insert your card on the reader',
    };
    this.payments.set(payment.payment_id, payment);
    this.purposes.set(payment.payment_id, body.purpose);
    return payment;
  }

  async status(paymentId: string) {
    this.reachable();
    return this.require(paymentId);
  }

  async capture(paymentId: string) {
    this.reachable();
    if (this.captureUnanswered) throw new CloudUnreachable('socket hang up (scripted capture)');
    return this.move(paymentId, 'succeeded', 'Paid');
  }

  async cancel(paymentId: string) {
    this.reachable();
    return this.move(paymentId, 'canceled', 'The payment was canceled; nothing was charged');
  }

  async settle(
    bookingId: string,
    body: { amount_cents: number; method: 'cash' | 'card'; payment_id?: string; settled_by: string },
  ): Promise<WalkInDue> {
    this.reachable();
    const due: WalkInDue = {
      booking_id: bookingId,
      amount_cents: body.amount_cents,
      currency: 'usd',
      status: 'settled',
      method: body.method,
      payment_id: body.payment_id ?? randomUUID(),
      settled_by: body.settled_by,
      settled_at: new Date().toISOString(),
    };
    this.settled.push(due);
    return due;
  }

  private reachable(): void {
    if (this.offline) throw new CloudUnreachable('connect ECONNREFUSED (scripted reader offline)');
  }

  private require(paymentId: string): TerminalPayment {
    const payment = this.payments.get(paymentId);
    if (!payment) throw new Error(`no payment ${paymentId}`);
    return payment;
  }

  private move(paymentId: string, status: TerminalPayment['status'], message: string) {
    const next = { ...this.require(paymentId), status, message };
    this.payments.set(paymentId, next);
    return next;
  }
}
