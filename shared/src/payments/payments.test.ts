import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyLedgerEvent,
  EMPTY_LEDGER,
  type Ledger,
  type LedgerEvent,
  ledgerTotals,
  type PaymentState,
  refundableCents,
  replayLedger,
} from './payment-ledger.js';
import {
  amountDueAtVenue,
  amountDueOnline,
  DEFAULT_PAYMENT_POLICY,
  type PaymentPolicy,
  validatePaymentPolicy,
} from './payment-policy.js';

const policy = (change: Partial<PaymentPolicy>): PaymentPolicy => ({ ...DEFAULT_PAYMENT_POLICY, ...change });

describe('payment policy', () => {
  it('asks nothing online at the venue, everything in full, the deposit otherwise', () => {
    expect(amountDueOnline(4500, DEFAULT_PAYMENT_POLICY)).toBe(0);
    expect(amountDueOnline(4500, policy({ mode: 'full' }))).toBe(4500);
    expect(amountDueOnline(4500, policy({ mode: 'deposit', deposit: { kind: 'percent', bps: 2500 } }))).toBe(
      1125,
    );
    expect(amountDueOnline(4500, policy({ mode: 'deposit', deposit: { kind: 'fixed', cents: 2000 } }))).toBe(
      2000,
    );
  });

  it('rounds a percentage deposit half away from zero and never asks more than the total', () => {
    // 33.33 % of 45.01 = 15.0018… → 15.00; 50 % of 0.01 = 0.005 → 0.01.
    expect(amountDueOnline(4501, policy({ mode: 'deposit', deposit: { kind: 'percent', bps: 3333 } }))).toBe(
      1500,
    );
    expect(amountDueOnline(1, policy({ mode: 'deposit', deposit: { kind: 'percent', bps: 5000 } }))).toBe(1);
    expect(amountDueOnline(1500, policy({ mode: 'deposit', deposit: { kind: 'fixed', cents: 2000 } }))).toBe(
      1500,
    );
    expect(amountDueAtVenue(4500, 1125)).toBe(3375);
    expect(amountDueAtVenue(4500, 5000)).toBe(0);
  });

  it('keeps the online amount between 0 and the total for every policy and total', () => {
    const arbPolicy = fc.oneof(
      fc.constant(policy({ mode: 'full' })),
      fc.constant(DEFAULT_PAYMENT_POLICY),
      fc
        .integer({ min: 1, max: 10_000 })
        .map((bps) => policy({ mode: 'deposit', deposit: { kind: 'percent', bps } })),
      fc
        .integer({ min: 1, max: 99_999_999 })
        .map((cents) => policy({ mode: 'deposit', deposit: { kind: 'fixed', cents } })),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), arbPolicy, (total, p) => {
        const due = amountDueOnline(total, p);
        expect(Number.isInteger(due)).toBe(true);
        expect(due).toBeGreaterThanOrEqual(0);
        expect(due).toBeLessThanOrEqual(total);
        expect(due + amountDueAtVenue(total, due)).toBe(total);
      }),
    );
  });

  it('refuses an inconsistent policy and names the field', () => {
    const field = (p: PaymentPolicy) => {
      try {
        validatePaymentPolicy(p);
        return null;
      } catch (error) {
        return (error as { field?: string }).field;
      }
    };
    expect(field(policy({ mode: 'deposit' }))).toBe('deposit');
    expect(field(policy({ mode: 'full', deposit: { kind: 'fixed', cents: 100 } }))).toBe('deposit');
    expect(field(policy({ mode: 'deposit', deposit: { kind: 'percent', bps: 0 } }))).toBe('deposit.bps');
    expect(field(policy({ mode: 'deposit', deposit: { kind: 'percent', bps: 10_001 } }))).toBe('deposit.bps');
    expect(field(policy({ mode: 'deposit', deposit: { kind: 'fixed', cents: 12.5 } }))).toBe('deposit.cents');
    expect(field(policy({ noShowFeeCents: 1500 }))).toBe('card_on_file_required');
    expect(field(policy({ noShowFeeCents: -1, cardOnFileRequired: true }))).toBe('no_show_fee_cents');
    expect(field(policy({ currency: 'USD' }))).toBe('currency');
    expect(field(policy({ mode: 'deposit', deposit: { kind: 'percent', bps: 10_000 } }))).toBeNull();
    expect(field(policy({ noShowFeeCents: 1500, cardOnFileRequired: true, currency: 'cad' }))).toBeNull();
  });

  it('refuses a negative or fractional total', () => {
    expect(() => amountDueOnline(-1, DEFAULT_PAYMENT_POLICY)).toThrow(/total_cents/);
    expect(() => amountDueOnline(10.5, DEFAULT_PAYMENT_POLICY)).toThrow(/total_cents/);
  });
});

let seq = 0;
const pay = (paymentRef: string, status: PaymentState, amountCents: number): LedgerEvent => ({
  kind: 'payment',
  eventId: `evt_${++seq}`,
  paymentRef,
  status,
  amountCents,
});
const refund = (
  refundRef: string,
  paymentRef: string,
  status: 'pending' | 'succeeded' | 'failed',
  amountCents: number,
): LedgerEvent => ({ kind: 'refund', eventId: `evt_${++seq}`, refundRef, paymentRef, status, amountCents });

describe('payment ledger', () => {
  it('moves a payment forward only: a late pending or failed after success changes nothing', () => {
    const succeeded = pay('p1', 'succeeded', 4500);
    let ledger = replayLedger([pay('p1', 'pending', 4500), pay('p1', 'failed', 4500), succeeded]).ledger;
    expect(ledger.payments.p1?.status).toBe('succeeded');
    expect(applyLedgerEvent(ledger, pay('p1', 'pending', 4500)).outcome).toBe('no_op');
    expect(applyLedgerEvent(ledger, pay('p1', 'canceled', 4500)).outcome).toBe('no_op');
    expect(applyLedgerEvent(ledger, succeeded).outcome).toBe('no_op');
    ledger = applyLedgerEvent(ledger, refund('r1', 'p1', 'succeeded', 1000)).ledger;
    expect(ledgerTotals(ledger)).toEqual({
      paidCents: 4500,
      refundedCents: 1000,
      pendingRefundCents: 0,
      netCents: 3500,
    });
    expect(refundableCents(ledger, 'p1')).toBe(3500);
  });

  it('holds a refund that arrives before its payment succeeded and applies it when it does', () => {
    const early = refund('r1', 'p1', 'succeeded', 4500);
    const step = applyLedgerEvent(EMPTY_LEDGER, early);
    expect(step).toMatchObject({ outcome: 'held', reason: 'payment_not_succeeded' });
    const replay = replayLedger([early, pay('p1', 'succeeded', 4500)]);
    expect(replay.held).toEqual([]);
    expect(ledgerTotals(replay.ledger).netCents).toBe(0);
  });

  it('holds a refund above what is left of its payment until an earlier refund fails', () => {
    const first = refund('r1', 'p1', 'succeeded', 3000);
    const second = refund('r2', 'p1', 'succeeded', 3000);
    const held = replayLedger([pay('p1', 'succeeded', 5000), first, second]);
    expect(held.held.map((h) => h.reason)).toEqual(['exceeds_payment']);
    expect(ledgerTotals(held.ledger).refundedCents).toBe(3000);
    const released = replayLedger([
      pay('p1', 'succeeded', 5000),
      first,
      second,
      refund('r1', 'p1', 'failed', 3000),
    ]);
    expect(released.held).toEqual([]);
    expect(released.ledger.refunds.r1?.status).toBe('failed');
    expect(ledgerTotals(released.ledger)).toMatchObject({ refundedCents: 3000, netCents: 2000 });
  });

  it('ignores a repeated event id', () => {
    const event = pay('p1', 'succeeded', 4500);
    const replay = replayLedger([event, event, event]);
    expect(replay.duplicates).toEqual([event.eventId, event.eventId]);
    expect(ledgerTotals(replay.ledger).paidCents).toBe(4500);
  });

  it('refuses an amount that is not whole minor units', () => {
    expect(() => applyLedgerEvent(EMPTY_LEDGER, pay('p1', 'succeeded', 10.5))).toThrow(RangeError);
  });
});

/**
 * A valid history of one booking as a provider would tell it, in the order things happened:
 * each payment is attempted (maybe declined first) then succeeds or is abandoned; refunds of a
 * succeeded payment never hold more than it, some pay out, some fail (before or after paying out).
 */
const arbHistory: fc.Arbitrary<LedgerEvent[]> = fc
  .array(
    fc.record({
      amount: fc.integer({ min: 50, max: 100_000 }),
      declinedFirst: fc.boolean(),
      abandoned: fc.boolean(),
      refunds: fc.array(
        fc.record({
          share: fc.integer({ min: 1, max: 100 }),
          fate: fc.constantFrom('paid', 'failed_pending', 'failed_after_paid', 'still_pending'),
        }),
        { maxLength: 4 },
      ),
    }),
    { minLength: 1, maxLength: 4 },
  )
  .map((plans) => {
    let n = 0;
    const id = () => `evt_${++n}`;
    const events: LedgerEvent[] = [];
    plans.forEach((plan, p) => {
      const ref = `pay_${p}`;
      const payment = (status: 'pending' | 'failed' | 'canceled' | 'succeeded') =>
        events.push({ kind: 'payment', eventId: id(), paymentRef: ref, status, amountCents: plan.amount });
      payment('pending');
      if (plan.declinedFirst) payment('failed');
      if (plan.abandoned) {
        payment('canceled');
        return;
      }
      payment('succeeded');
      let reserved = 0;
      plan.refunds.forEach((r, i) => {
        const amount = Math.max(1, Math.floor((plan.amount * r.share) / 100));
        if (reserved + amount > plan.amount) return;
        const rf = (status: 'pending' | 'succeeded' | 'failed') =>
          events.push({
            kind: 'refund',
            eventId: id(),
            refundRef: `${ref}_re_${i}`,
            paymentRef: ref,
            status,
            amountCents: amount,
          });
        rf('pending');
        if (r.fate === 'failed_pending') rf('failed');
        else if (r.fate === 'still_pending') reserved += amount;
        else {
          rf('succeeded');
          if (r.fate === 'failed_after_paid') rf('failed');
          else reserved += amount;
        }
      });
    });
    return events;
  });

/** Arrival: a permutation of the history with some of its events delivered more than once. */
const arbArrival = (history: LedgerEvent[]) =>
  fc.array(fc.constantFrom(...history), { maxLength: history.length }).chain((repeats) => {
    const all = [...history, ...repeats];
    return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length });
  });

const assertRefundsWithinPayments = (ledger: Ledger) => {
  for (const payment of Object.values(ledger.payments)) {
    const held = Object.values(ledger.refunds)
      .filter((r) => r.paymentRef === payment.ref && r.status !== 'failed')
      .reduce((sum, r) => sum + r.amountCents, 0);
    if (held > 0) expect(payment.status).toBe('succeeded');
    expect(held).toBeLessThanOrEqual(payment.amountCents);
  }
};

describe('payment ledger invariants', () => {
  it('paid − refunded = net and no refund exceeds its payment, after every event of a history', () => {
    fc.assert(
      fc.property(arbHistory, (history) => {
        let ledger = EMPTY_LEDGER;
        for (const event of history) {
          const step = applyLedgerEvent(ledger, event);
          expect(step.outcome).not.toBe('held'); // in the order it happened, everything applies
          ledger = step.ledger;
          const totals = ledgerTotals(ledger);
          expect(totals.paidCents - totals.refundedCents).toBe(totals.netCents);
          assertRefundsWithinPayments(ledger);
        }
      }),
    );
  });

  it('any shuffle and any duplication of a history ends in the same ledger, nothing held', () => {
    fc.assert(
      fc.property(
        arbHistory.chain((history) => fc.tuple(fc.constant(history), arbArrival(history))),
        ([history, arrival]) => {
          const inOrder = replayLedger(history);
          const shuffled = replayLedger(arrival);
          expect(shuffled.held).toEqual([]);
          expect(shuffled.ledger).toEqual(inOrder.ledger);
          expect(ledgerTotals(shuffled.ledger)).toEqual(ledgerTotals(inOrder.ledger));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('even an arbitrary, inconsistent stream of events never refunds more than a payment', () => {
    const arbEvent = fc.oneof(
      fc.record({
        kind: fc.constant('payment' as const),
        eventId: fc.uuid(),
        paymentRef: fc.constantFrom('p1', 'p2'),
        status: fc.constantFrom('pending', 'failed', 'canceled', 'succeeded'),
        amountCents: fc.integer({ min: 0, max: 10_000 }),
      }),
      fc.record({
        kind: fc.constant('refund' as const),
        eventId: fc.uuid(),
        refundRef: fc.constantFrom('r1', 'r2', 'r3'),
        paymentRef: fc.constantFrom('p1', 'p2'),
        status: fc.constantFrom('pending', 'succeeded', 'failed'),
        amountCents: fc.integer({ min: 0, max: 10_000 }),
      }),
    );
    fc.assert(
      fc.property(fc.array(arbEvent, { maxLength: 30 }), (events) => {
        const { ledger } = replayLedger(events as LedgerEvent[]);
        assertRefundsWithinPayments(ledger);
        const totals = ledgerTotals(ledger);
        expect(totals.refundedCents + totals.pendingRefundCents).toBeLessThanOrEqual(totals.paidCents);
      }),
    );
  });
});
