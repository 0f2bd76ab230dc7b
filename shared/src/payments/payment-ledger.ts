/**
 * The money of one booking as the provider reports it: payments (a Checkout, a card on a reader,
 * cash, a no-show fee) and the refunds against them. Provider events arrive late, twice or out of
 * order, so every record only moves forward along its own order of states (a repeat or an older
 * state is a no-op), and an event that cannot apply yet is held, not dropped, until one that makes
 * it applicable arrives. The same events in any order and any number of repeats end in the same
 * ledger (docs/decisions/018-payments.md).
 */

/** `failed` is one declined attempt (another card may follow); `succeeded` wins over the rest. */
export type PaymentState = 'pending' | 'failed' | 'canceled' | 'succeeded';
/** A refund that failed after it succeeded gives the money back to the venue: `failed` is last. */
export type RefundState = 'pending' | 'succeeded' | 'failed';

const PAYMENT_ORDER: Record<PaymentState, number> = { pending: 0, failed: 1, canceled: 2, succeeded: 3 };
const REFUND_ORDER: Record<RefundState, number> = { pending: 0, succeeded: 1, failed: 2 };

export interface LedgerPayment {
  ref: string;
  status: PaymentState;
  amountCents: number;
}

export interface LedgerRefund {
  ref: string;
  paymentRef: string;
  status: RefundState;
  amountCents: number;
}

export interface Ledger {
  payments: Readonly<Record<string, LedgerPayment>>;
  refunds: Readonly<Record<string, LedgerRefund>>;
}

export const EMPTY_LEDGER: Ledger = Object.freeze({ payments: {}, refunds: {} });

export type LedgerEvent =
  | { kind: 'payment'; eventId: string; paymentRef: string; status: PaymentState; amountCents: number }
  | {
      kind: 'refund';
      eventId: string;
      refundRef: string;
      paymentRef: string;
      status: RefundState;
      amountCents: number;
    };

/** Why an event waits: its payment has not succeeded yet, or it would refund more than was paid. */
export type HoldReason = 'payment_not_succeeded' | 'exceeds_payment';

export type LedgerStep =
  | { outcome: 'applied'; ledger: Ledger; payment?: LedgerPayment; refund?: LedgerRefund }
  | { outcome: 'no_op'; ledger: Ledger }
  | { outcome: 'held'; ledger: Ledger; reason: HoldReason };

/** Refunds that hold money of a payment: pending (the provider may still pay them out) or paid out. */
const reserves = (refund: LedgerRefund) => refund.status !== 'failed';

export function applyLedgerEvent(ledger: Ledger, event: LedgerEvent): LedgerStep {
  if (!Number.isInteger(event.amountCents) || event.amountCents < 0) {
    throw new RangeError(
      `event ${event.eventId}: amount must be whole minor units, got ${event.amountCents}`,
    );
  }
  return event.kind === 'payment' ? applyPayment(ledger, event) : applyRefund(ledger, event);
}

function applyPayment(ledger: Ledger, event: Extract<LedgerEvent, { kind: 'payment' }>): LedgerStep {
  const current = ledger.payments[event.paymentRef];
  if (current && PAYMENT_ORDER[event.status] <= PAYMENT_ORDER[current.status]) {
    return { outcome: 'no_op', ledger };
  }
  const payment: LedgerPayment = {
    ref: event.paymentRef,
    status: event.status,
    amountCents: event.amountCents,
  };
  return {
    outcome: 'applied',
    ledger: { ...ledger, payments: { ...ledger.payments, [payment.ref]: payment } },
    payment,
  };
}

function applyRefund(ledger: Ledger, event: Extract<LedgerEvent, { kind: 'refund' }>): LedgerStep {
  const current = ledger.refunds[event.refundRef];
  if (current && REFUND_ORDER[event.status] <= REFUND_ORDER[current.status]) {
    return { outcome: 'no_op', ledger };
  }
  const payment = ledger.payments[event.paymentRef];
  if (payment?.status !== 'succeeded') return { outcome: 'held', ledger, reason: 'payment_not_succeeded' };
  const refund: LedgerRefund = {
    ref: event.refundRef,
    paymentRef: event.paymentRef,
    status: event.status,
    amountCents: event.amountCents,
  };
  if (reserves(refund)) {
    const others = Object.values(ledger.refunds)
      .filter((r) => r.paymentRef === payment.ref && r.ref !== refund.ref && reserves(r))
      .reduce((sum, r) => sum + r.amountCents, 0);
    if (others + refund.amountCents > payment.amountCents) {
      return { outcome: 'held', ledger, reason: 'exceeds_payment' };
    }
  }
  return {
    outcome: 'applied',
    ledger: { ...ledger, refunds: { ...ledger.refunds, [refund.ref]: refund } },
    refund,
  };
}

export interface HeldEvent {
  event: LedgerEvent;
  reason: HoldReason;
}

export interface LedgerReplay {
  ledger: Ledger;
  /** Events still waiting, in arrival order. */
  held: HeldEvent[];
  /** Event ids seen more than once (ignored after the first). */
  duplicates: string[];
}

/**
 * Applies events in arrival order: a repeated event id is ignored, a held event is retried each
 * time another event applies, until nothing more can apply. What the cloud does with stored
 * webhook events, and what the property tests replay.
 */
export function replayLedger(events: readonly LedgerEvent[], start: Ledger = EMPTY_LEDGER): LedgerReplay {
  const seen = new Set<string>();
  const duplicates: string[] = [];
  let ledger = start;
  let held: HeldEvent[] = [];
  for (const event of events) {
    if (seen.has(event.eventId)) {
      duplicates.push(event.eventId);
      continue;
    }
    seen.add(event.eventId);
    const step = applyLedgerEvent(ledger, event);
    if (step.outcome === 'held') {
      held.push({ event, reason: step.reason });
      continue;
    }
    ledger = step.ledger;
    if (step.outcome === 'applied') ({ ledger, held } = releaseHeld(ledger, held));
  }
  return { ledger, held, duplicates };
}

/** Retries held events until a pass applies none; returns what still waits. */
export function releaseHeld(
  ledger: Ledger,
  held: readonly HeldEvent[],
): { ledger: Ledger; held: HeldEvent[] } {
  let waiting = [...held];
  let progress = true;
  while (progress && waiting.length > 0) {
    progress = false;
    const next: HeldEvent[] = [];
    for (const entry of waiting) {
      const step = applyLedgerEvent(ledger, entry.event);
      if (step.outcome === 'held') next.push({ event: entry.event, reason: step.reason });
      else {
        ledger = step.ledger;
        progress = true;
      }
    }
    waiting = next;
  }
  return { ledger, held: waiting };
}

export interface LedgerTotals {
  /** Succeeded payments. */
  paidCents: number;
  /** Succeeded refunds. */
  refundedCents: number;
  /** Refunds asked for that the provider has not paid out yet. */
  pendingRefundCents: number;
  /** paid − refunded: what the venue keeps. */
  netCents: number;
}

export function ledgerTotals(ledger: Ledger): LedgerTotals {
  const paid = Object.values(ledger.payments)
    .filter((p) => p.status === 'succeeded')
    .reduce((sum, p) => sum + p.amountCents, 0);
  let refunded = 0;
  let pending = 0;
  for (const refund of Object.values(ledger.refunds)) {
    if (refund.status === 'succeeded') refunded += refund.amountCents;
    if (refund.status === 'pending') pending += refund.amountCents;
  }
  return { paidCents: paid, refundedCents: refunded, pendingRefundCents: pending, netCents: paid - refunded };
}

/** What can still be refunded of one payment (0 for a payment that has not succeeded). */
export function refundableCents(ledger: Ledger, paymentRef: string): number {
  const payment = ledger.payments[paymentRef];
  if (payment?.status !== 'succeeded') return 0;
  const reserved = Object.values(ledger.refunds)
    .filter((r) => r.paymentRef === paymentRef && reserves(r))
    .reduce((sum, r) => sum + r.amountCents, 0);
  return payment.amountCents - reserved;
}
