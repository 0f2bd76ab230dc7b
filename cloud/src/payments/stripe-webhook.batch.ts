import { randomUUID } from 'node:crypto';
import { applyLedgerEvent, type Ledger, type LedgerStep, ledgerTotals } from '@clubos/shared/payments';
import type Stripe from 'stripe';
import type { Transaction } from '../db/client.js';
import { enqueuePaymentSyncs } from '../hubspot/hubspot-outbox.repository.js';
import { enqueueReceipts } from '../notifications/notification-outbox.js';
import { movesMoney, receiptOf } from './money-moved.js';
import type {
  BatchRefund,
  NewRefund,
  PaymentRow,
  PaymentsRepository,
  PaymentUpdate,
} from './payments.repository.js';
import { followRefundStatuses, settlesRefund } from './refund-status.js';
import { isUuid, type MappedStripeEvent, META, mapStripeEvent } from './stripe-event.mapper.js';
import type { StripeEventsRepository } from './stripe-events.repository.js';
import type { PaymentSettlement } from './stripe-webhook.service.js';

/** Batches in flight at once (a batch's statements are serial on its connection; lanes overlap them). */
export const LANES = 4;

/**
 * The lane of an event: by the booking its metadata names (a booking's events then meet in one
 * batch, stepped in memory, instead of a refund held in one lane and released one by one from
 * another), else its PaymentIntent, else its id; a redelivery always meets its twin. Lanes that
 * touch the same rows (a customer's totals, a facility's change-log counter, a booking named by an
 * event without metadata) take their locks in one order and wait (docs/decisions/018-payments.md).
 */
export function laneOf(event: Stripe.Event): string {
  const object = event.data.object as {
    metadata?: Record<string, string> | null;
    payment_intent?: unknown;
  };
  const intent = typeof object.payment_intent === 'string' ? object.payment_intent : undefined;
  const key = object.metadata?.[META.booking] ?? intent ?? event.id;
  let hash = 0;
  for (let i = 0; i < key.length; i++) hash = (hash * 31 + key.charCodeAt(i)) | 0;
  return String(Math.abs(hash) % LANES);
}

export interface StoredEvent {
  id: string;
  type: string;
  payload: Record<string, unknown>;
}
type Mapped = Exclude<MappedStripeEvent, { kind: 'ignored' }>;
type Fast = { event: StoredEvent; mapped: Mapped; payment: PaymentRow };
type RefundUpdate = Parameters<PaymentsRepository['updateRefund']>[2];

export interface BatchApplied {
  /** Stored but left to the one-by-one path, in order: events whose payment is not known yet. */
  slow: StoredEvent[];
  /** The bookings whose event applied, with their earlier held events to retry. */
  release: Map<string, string[]>;
  /** Every booking an event of the set-based pass concerned (for the settlement's follow-up). */
  touched: string[];
}

export interface BatchDeps {
  events: StripeEventsRepository;
  payments: PaymentsRepository;
  settlement: PaymentSettlement | null;
}

/**
 * Everything a batch writes, gathered while the ledger steps are computed in memory: one entry
 * per row, so a booking's second event changes the pending write instead of adding one.
 */
class Writes {
  readonly payments = new Map<string, PaymentRow>();
  readonly paymentUpdates = new Map<string, PaymentUpdate>();
  readonly newProviderIds: string[] = [];
  readonly succeeded = new Map<string, PaymentRow>();
  readonly refundInserts = new Map<string, NewRefund>();
  readonly refundUpdates = new Map<string, RefundUpdate>();
  readonly marks = new Map<string, { id: string; booking_id: string | null; held: string | null }>();
  readonly moneyMoved: string[] = [];
  readonly receipts: Parameters<typeof enqueueReceipts>[1][number][] = [];
  /** Each stepped booking's ledger as the batch leaves it. */
  readonly ledgers = new Map<string, Ledger>();
  /** A booking's ledger after its last refund step that `settlesRefund` (refund-status.ts). */
  readonly refundLedgers = new Map<string, Ledger>();
  constructor(readonly refunds: BatchRefund[]) {}

  /** The payment as this batch has it so far (its provider ids recorded by an earlier event). */
  payment(row: PaymentRow): PaymentRow {
    const current = this.payments.get(row.id) ?? { ...row };
    this.payments.set(row.id, current);
    return current;
  }

  updatePayment(id: string, change: Partial<PaymentUpdate>): void {
    const before = this.paymentUpdates.get(id);
    this.paymentUpdates.set(id, {
      id,
      status: change.status ?? before?.status ?? null,
      amount_cents: change.amount_cents ?? before?.amount_cents ?? null,
      provider_payment_id: before?.provider_payment_id ?? change.provider_payment_id ?? null,
      provider_checkout_id: before?.provider_checkout_id ?? change.provider_checkout_id ?? null,
      succeeded: (before?.succeeded ?? false) || (change.succeeded ?? false),
    });
  }

  updateRefund(id: string, values: RefundUpdate): void {
    const inserted = this.refundInserts.get(id);
    if (inserted) Object.assign(inserted, values);
    else this.refundUpdates.set(id, { ...this.refundUpdates.get(id), ...values });
  }
}

/**
 * The set-based pass of a webhook batch, in the caller's transaction (docs/decisions/018-payments.md):
 * the payments of all events in one read, their bookings locked in one statement, their ledgers in
 * one read; each booking's events are then stepped through its ledger in memory, in the order
 * received (a held one retried after each that applies, as `releaseHeld` does), and the writes
 * sent as one statement per kind. Events of unknown payments are returned in `slow`, for the
 * one-by-one path after it, which sees these writes. Same outcome per event as `applyRow`.
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
  const byBooking = new Map<string, Fast[]>();
  for (const c of candidates) {
    const payment = find(c.mapped);
    if (!payment) slow.push(c.event);
    else byBooking.set(payment.bookingId, [...(byBooking.get(payment.bookingId) ?? []), { ...c, payment }]);
  }
  const bookingIds = [...byBooking.keys()];
  await deps.payments.lockBookings(tx, bookingIds);
  const refundEvents = candidates.flatMap((c) => (c.mapped.kind === 'refund' ? [c.mapped] : []));
  const { ledgers, refunds } = await deps.payments.ledgersOf(
    tx,
    bookingIds,
    refundEvents.flatMap((r) => (isUuid(r.refundId) ? [r.refundId] : [])),
    refundEvents.map((r) => r.providerRefundId),
  );
  const w = new Writes(refunds);
  for (const e of ignored) w.marks.set(e.id, { id: e.id, booking_id: null, held: null });
  for (const [bookingId, events] of byBooking) stepBooking(w, ledgers.get(bookingId)!, events);

  await deps.payments.updatePayments(tx, [...w.paymentUpdates.values()]);
  // Events held because these ids were unknown become resolvable; see lockProviderIds.
  await deps.payments.lockProviderIds(tx, w.newProviderIds);
  await deps.payments.insertRefunds(tx, [...w.refundInserts.values()]);
  await deps.payments.updateRefunds(
    tx,
    [...w.refundUpdates].map(([id, values]) => ({ id, values })),
  );
  // After the payments' rows are written, with the batch's last word on each booking: once per
  // booking, set-based (the settlement's other form reads the ledger again, once per payment).
  const settlement = deps.settlement;
  if (settlement?.paymentsSucceeded) {
    const bookings = [...new Set([...w.succeeded.values()].map((p) => p.bookingId))];
    const settled = bookings.map((b) => ({
      bookingId: b,
      paidCents: ledgerTotals(w.ledgers.get(b)!).paidCents,
    }));
    if (settled.length > 0) await settlement.paymentsSucceeded(tx, settled);
  } else for (const payment of w.succeeded.values()) await settlement?.paymentSucceeded(tx, payment);
  if (w.refundLedgers.size > 0) await followRefundStatuses(tx, w.refundLedgers);
  const marks = [...w.marks.values()];
  const held = await deps.events.markBatch(tx, marks);
  await enqueuePaymentSyncs(tx, w.moneyMoved);
  await enqueueReceipts(tx, w.receipts);
  const release = new Map<string, string[]>();
  for (const m of marks) {
    if (m.held !== null || m.booking_id === null) continue;
    const ids = held.filter((h) => h.bookingId === m.booking_id || h.bookingId === null).map((h) => h.id);
    if (ids.length > 0) release.set(m.booking_id, ids);
  }
  return { slow, release, touched: bookingIds };
}

/** One booking's events through its ledger, in order; the held ones retried after each that applies. */
function stepBooking(w: Writes, initial: Ledger, events: Fast[]): void {
  let ledger = initial;
  const waiting: Fast[] = [];
  const run = (f: Fast): boolean => {
    const step =
      f.mapped.kind === 'payment'
        ? paymentStep(w, f.event.id, ledger, w.payment(f.payment), f.mapped)
        : refundStep(w, f.event.id, ledger, f.payment, f.mapped);
    ledger = step.ledger;
    const held = step.outcome === 'held' ? step.reason : null;
    w.marks.set(f.event.id, { id: f.event.id, booking_id: f.payment.bookingId, held });
    if (movesMoney(step)) w.moneyMoved.push(f.payment.bookingId);
    const receipt = receiptOf(step);
    if (receipt) w.receipts.push({ bookingId: f.payment.bookingId, ...receipt });
    if (settlesRefund(step)) w.refundLedgers.set(f.payment.bookingId, step.ledger);
    w.ledgers.set(f.payment.bookingId, ledger);
    return held === null;
  };
  for (const f of events) {
    if (!run(f)) {
      waiting.push(f);
      continue;
    }
    let progress = true;
    while (progress) {
      progress = false;
      for (const h of [...waiting]) {
        if (!run(h)) continue;
        waiting.splice(waiting.indexOf(h), 1);
        progress = true;
      }
    }
  }
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

/** `StripeWebhookService.applyPayment`, its writes gathered in `w` (`payment`: the batch's copy). */
function paymentStep(
  w: Writes,
  eventId: string,
  ledger: Ledger,
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
    w.updatePayment(payment.id, {
      status: applied?.status ?? null,
      amount_cents: applied?.amountCents ?? null,
      provider_payment_id: providerPaymentId,
      provider_checkout_id: checkoutId,
      succeeded: applied?.status === 'succeeded',
    });
  }
  if (providerPaymentId) {
    payment.providerPaymentId = providerPaymentId;
    w.newProviderIds.push(providerPaymentId);
  }
  if (checkoutId) {
    payment.providerCheckoutId = checkoutId;
    w.newProviderIds.push(checkoutId);
  }
  // Whether this event or an earlier one made it succeed: confirming is idempotent.
  if (step.ledger.payments[payment.id]?.status === 'succeeded')
    w.succeeded.set(payment.id, { ...payment, status: 'succeeded' });
  return step;
}

/** `StripeWebhookService.applyRefund`, its writes gathered in `w` (a refund it inserts gets its id here). */
function refundStep(
  w: Writes,
  eventId: string,
  ledger: Ledger,
  payment: PaymentRow,
  mapped: Extract<Mapped, { kind: 'refund' }>,
): LedgerStep {
  const ours =
    (isUuid(mapped.refundId) ? w.refunds.find((r) => r.id === mapped.refundId) : undefined) ??
    w.refunds.find((r) => r.providerRefundId === mapped.providerRefundId);
  const newId = randomUUID();
  const step = applyLedgerEvent(ledger, {
    kind: 'refund',
    eventId,
    refundRef: ours?.id ?? newId,
    paymentRef: payment.id,
    status: mapped.status,
    amountCents: mapped.amountCents,
  });
  if (step.outcome === 'applied' && step.refund) {
    const values = { status: step.refund.status, amountCents: step.refund.amountCents };
    if (ours) {
      w.updateRefund(ours.id, { ...values, providerRefundId: mapped.providerRefundId });
      ours.providerRefundId = mapped.providerRefundId;
    } else {
      // Made outside ClubOS (Stripe's dashboard): recorded so the ledger matches Stripe's.
      const seq =
        Math.max(0, ...w.refunds.filter((r) => r.bookingId === payment.bookingId).map((r) => r.seq)) + 1;
      w.refunds.push({
        id: newId,
        bookingId: payment.bookingId,
        seq,
        providerRefundId: mapped.providerRefundId,
      });
      w.refundInserts.set(newId, {
        ...values,
        id: newId,
        facilityId: payment.facilityId,
        paymentId: payment.id,
        bookingId: payment.bookingId,
        seq,
        reason: mapped.reason ?? 'refunded in Stripe',
        actor: 'provider',
        providerRefundId: mapped.providerRefundId,
      });
    }
  } else if (ours && !ours.providerRefundId) {
    w.updateRefund(ours.id, { providerRefundId: mapped.providerRefundId });
    ours.providerRefundId = mapped.providerRefundId;
  }
  return step;
}
