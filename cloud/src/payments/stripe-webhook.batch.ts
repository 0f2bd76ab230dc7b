import { applyLedgerEvent, type LedgerStep } from '@clubos/shared/payments';
import type Stripe from 'stripe';
import type { Transaction } from '../db/client.js';
import { enqueuePaymentSyncs } from '../hubspot/hubspot-outbox.repository.js';
import { movesMoney } from './money-moved.js';
import type { BatchRefund, PaymentRow, PaymentsRepository, PaymentUpdate } from './payments.repository.js';
import { isUuid, type MappedStripeEvent, mapStripeEvent } from './stripe-event.mapper.js';
import type { StripeEventsRepository } from './stripe-events.repository.js';
import type { PaymentSettlement } from './stripe-webhook.service.js';

export interface StoredEvent {
  id: string;
  type: string;
  payload: Record<string, unknown>;
}
type Mapped = Exclude<MappedStripeEvent, { kind: 'ignored' }>;
type Fast = { event: StoredEvent; mapped: Mapped; payment: PaymentRow };

export interface BatchApplied {
  /** Stored but left to the one-by-one path, in order: events whose payment is not known yet. */
  slow: StoredEvent[];
  /** The bookings whose event applied, with their held events to retry. */
  release: Map<string, string[]>;
  /** Every booking an event of the set-based pass concerned (for the settlement's follow-up). */
  touched: string[];
}

export interface BatchDeps {
  events: StripeEventsRepository;
  payments: PaymentsRepository;
  settlement: PaymentSettlement | null;
}

/** Everything a batch writes, gathered while the ledger steps are computed in memory. */
class Writes {
  readonly paymentUpdates: PaymentUpdate[] = [];
  readonly newProviderIds: string[] = [];
  readonly succeeded: PaymentRow[] = [];
  readonly refundInserts: Parameters<PaymentsRepository['insertRefunds']>[1] = [];
  readonly refundUpdates: { id: string; values: Parameters<PaymentsRepository['updateRefund']>[2] }[] = [];
  readonly marks: { id: string; booking_id: string | null; held: string | null }[] = [];
  readonly moneyMoved: string[] = [];
}

/**
 * The set-based pass of a webhook batch, in the caller's transaction (docs/decisions/018-payments.md):
 * the payments of all events in one read, their bookings locked in one statement, then in rounds
 * (a booking's first event, its second, …) the ledgers in one read, the steps computed in memory
 * and the writes sent as one statement per kind. Events of unknown payments are returned in `slow`,
 * for the one-by-one path after it, which sees this pass's writes. Same outcome per event as
 * `StripeWebhookService.applyRow`.
 */
export async function applyBatch(
  tx: Transaction,
  stored: StoredEvent[],
  deps: BatchDeps,
): Promise<BatchApplied> {
  const slow: StoredEvent[] = [];
  const ignored: StoredEvent[] = [];
  const candidates: { event: StoredEvent; mapped: Mapped }[] = [];
  for (const event of stored) {
    const mapped = mapStripeEvent(event.payload as unknown as Stripe.Event);
    if (mapped.kind === 'ignored') ignored.push(event);
    else candidates.push({ event, mapped });
  }
  const find = await paymentFinder(tx, deps.payments, candidates);
  // Round n takes each booking's n-th event, so a booking's events apply in the order received.
  const rounds: Map<string, Fast>[] = [];
  for (const c of candidates) {
    const payment = find(c.mapped);
    if (!payment) {
      slow.push(c.event);
      continue;
    }
    const round = rounds.find((r) => !r.has(payment.bookingId)) ?? rounds[rounds.push(new Map()) - 1]!;
    round.set(payment.bookingId, { ...c, payment });
  }
  const bookingIds = [...(rounds[0]?.keys() ?? [])];
  await deps.payments.lockBookings(tx, bookingIds);
  const release = new Map<string, string[]>();
  const marks = ignored.map((e) => ({ id: e.id, booking_id: null, held: null }));
  if (rounds.length === 0) await deps.events.markBatch(tx, marks);
  for (const [n, round] of rounds.entries()) {
    const w = new Writes();
    if (n === 0) w.marks.push(...marks);
    await applyRound(tx, [...round.values()], deps, w);
    const held = await deps.events.markBatch(tx, w.marks);
    await enqueuePaymentSyncs(tx, w.moneyMoved);
    for (const m of w.marks) {
      if (m.held !== null || m.booking_id === null) continue;
      const ids = held.filter((h) => h.bookingId === m.booking_id || h.bookingId === null).map((h) => h.id);
      if (ids.length > 0) release.set(m.booking_id, ids);
    }
  }
  return { slow, release, touched: bookingIds };
}

/** One event per booking: their ledgers read in one statement, the steps computed, the writes sent. */
async function applyRound(tx: Transaction, fast: Fast[], deps: BatchDeps, w: Writes): Promise<void> {
  const refundEvents = fast.flatMap((f) => (f.mapped.kind === 'refund' ? [f.mapped] : []));
  const { ledgers, refunds } = await deps.payments.ledgersOf(
    tx,
    fast.map((f) => f.payment.bookingId),
    refundEvents.flatMap((r) => (isUuid(r.refundId) ? [r.refundId] : [])),
    refundEvents.map((r) => r.providerRefundId),
  );
  for (const f of fast) {
    const ledger = ledgers.get(f.payment.bookingId)!;
    const step =
      f.mapped.kind === 'payment'
        ? paymentStep(w, f.event.id, ledger, f.payment, f.mapped)
        : refundStep(w, f.event.id, ledger, f.payment, f.mapped, refunds);
    w.marks.push({
      id: f.event.id,
      booking_id: f.payment.bookingId,
      held: step.outcome === 'held' ? step.reason : null,
    });
    if (movesMoney(step)) w.moneyMoved.push(f.payment.bookingId);
  }
  await deps.payments.updatePayments(tx, w.paymentUpdates);
  // Events held because these ids were unknown become resolvable; see lockProviderIds.
  await deps.payments.lockProviderIds(tx, w.newProviderIds);
  await deps.payments.insertRefunds(tx, w.refundInserts);
  for (const u of w.refundUpdates) await deps.payments.updateRefund(tx, u.id, u.values);
  // After the payments' rows are written: the settlement reads the ledger again.
  for (const payment of w.succeeded) await deps.settlement?.paymentSucceeded(tx, payment);
}

/** One read for the payments of every event; the look-up order is `paymentOf`'s (ours, intent, session). */
async function paymentFinder(
  tx: Transaction,
  payments: PaymentsRepository,
  candidates: { mapped: Mapped }[],
): Promise<(mapped: Mapped) => PaymentRow | undefined> {
  const ours = candidates.flatMap((c) => (isUuid(c.mapped.paymentId) ? [c.mapped.paymentId] : []));
  const provider = candidates.flatMap((c) =>
    c.mapped.providerPaymentId ? [c.mapped.providerPaymentId] : [],
  );
  const checkout = candidates.flatMap((c) =>
    c.mapped.kind === 'payment' && c.mapped.checkoutId ? [c.mapped.checkoutId] : [],
  );
  const rows =
    candidates.length === 0 ? [] : await payments.paymentsMatching(tx, { ours, provider, checkout });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const byProvider = new Map(rows.flatMap((r) => (r.providerPaymentId ? [[r.providerPaymentId, r]] : [])));
  const byCheckout = new Map(rows.flatMap((r) => (r.providerCheckoutId ? [[r.providerCheckoutId, r]] : [])));
  return (mapped) =>
    (isUuid(mapped.paymentId) ? byId.get(mapped.paymentId) : undefined) ??
    (mapped.providerPaymentId ? byProvider.get(mapped.providerPaymentId) : undefined) ??
    (mapped.kind === 'payment' && mapped.checkoutId ? byCheckout.get(mapped.checkoutId) : undefined);
}

/** `StripeWebhookService.applyPayment`, its writes gathered in `w`. */
function paymentStep(
  w: Writes,
  eventId: string,
  ledger: Parameters<typeof applyLedgerEvent>[0],
  payment: PaymentRow,
  mapped: Extract<Mapped, { kind: 'payment' }>,
): LedgerStep {
  const step = applyLedgerEvent(ledger, {
    kind: 'payment',
    eventId,
    paymentRef: payment.id,
    status: mapped.status,
    amountCents: mapped.amountCents,
  });
  const providerPaymentId =
    mapped.providerPaymentId && !payment.providerPaymentId ? mapped.providerPaymentId : null;
  const checkoutId = mapped.checkoutId && !payment.providerCheckoutId ? mapped.checkoutId : null;
  const applied = step.outcome === 'applied' && step.payment ? step.payment : null;
  if (applied || providerPaymentId || checkoutId) {
    w.paymentUpdates.push({
      id: payment.id,
      status: applied?.status ?? null,
      amount_cents: applied?.amountCents ?? null,
      provider_payment_id: providerPaymentId,
      provider_checkout_id: checkoutId,
      succeeded: applied?.status === 'succeeded',
    });
  }
  for (const id of [providerPaymentId, checkoutId]) if (id) w.newProviderIds.push(id);
  // Whether this event or an earlier one made it succeed: confirming is idempotent.
  if (step.ledger.payments[payment.id]?.status === 'succeeded')
    w.succeeded.push({ ...payment, status: 'succeeded' });
  return step;
}

/** `StripeWebhookService.applyRefund`, its writes gathered in `w`. */
function refundStep(
  w: Writes,
  eventId: string,
  ledger: Parameters<typeof applyLedgerEvent>[0],
  payment: PaymentRow,
  mapped: Extract<Mapped, { kind: 'refund' }>,
  refunds: BatchRefund[],
): LedgerStep {
  const ours =
    (isUuid(mapped.refundId) ? refunds.find((r) => r.id === mapped.refundId) : undefined) ??
    refunds.find((r) => r.providerRefundId === mapped.providerRefundId);
  const step = applyLedgerEvent(ledger, {
    kind: 'refund',
    eventId,
    refundRef: ours?.id ?? `provider:${mapped.providerRefundId}`,
    paymentRef: payment.id,
    status: mapped.status,
    amountCents: mapped.amountCents,
  });
  if (step.outcome === 'applied' && step.refund) {
    const values = { status: step.refund.status, amountCents: step.refund.amountCents };
    if (ours) {
      w.refundUpdates.push({ id: ours.id, values: { ...values, providerRefundId: mapped.providerRefundId } });
    } else {
      // Made outside ClubOS (Stripe's dashboard): recorded so the ledger matches Stripe's.
      const seqs = refunds.filter((r) => r.bookingId === payment.bookingId).map((r) => r.seq);
      w.refundInserts.push({
        ...values,
        paymentId: payment.id,
        bookingId: payment.bookingId,
        seq: Math.max(0, ...seqs) + 1,
        reason: mapped.reason ?? 'refunded in Stripe',
        actor: 'provider',
        providerRefundId: mapped.providerRefundId,
      });
    }
  } else if (ours && !ours.providerRefundId) {
    w.refundUpdates.push({ id: ours.id, values: { providerRefundId: mapped.providerRefundId } });
  }
  return step;
}
