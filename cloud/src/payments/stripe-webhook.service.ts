import { randomUUID } from 'node:crypto';
import { badRequest, DomainError } from '@clubos/shared/errors';
import { applyLedgerEvent, type LedgerStep } from '@clubos/shared/payments';
import type Stripe from 'stripe';
import { GroupCommit, type Settled, settle } from '../common/group-commit.js';
import type { Database, Executor, Transaction } from '../db/client.js';
import { reportMoneyMoved } from './money-moved.js';
import type { PaymentRow, PaymentsRepository } from './payments.repository.js';
import { verifyStripeEvent } from './stripe.client.js';
import { isUuid, type MappedStripeEvent, mapStripeEvent } from './stripe-event.mapper.js';
import type { StripeEventRow, StripeEventsRepository } from './stripe-events.repository.js';
import { applyBatch, laneOf } from './stripe-webhook.batch.js';

const providerIdsOf = (mapped: Exclude<MappedStripeEvent, { kind: 'ignored' }>): string[] =>
  [mapped.providerPaymentId, mapped.kind === 'payment' ? mapped.checkoutId : null].filter(
    (id): id is string => id !== null,
  );

/** `held`: the booking's held events seen as this one was applied (the first release pass). */
type Applied = { result: 'applied' | 'held'; bookingId: string | null; held?: string[] };
type MappedPayment = Extract<MappedStripeEvent, { kind: 'payment' }>;
/** The route's answer: `applied: false` asks for a retry in the background. */
export type Accepted = { eventId: string; duplicate: boolean; applied: boolean };
/** Events per transaction at most (the booking writer's batch size; docs/decisions/016). */
const MAX_BATCH = 64;

const stored = (event: Stripe.Event) => ({
  id: event.id,
  type: event.type,
  payload: event as unknown as Record<string, unknown>,
});

/**
 * What a succeeded payment does to its booking (booking-checkout.service.ts): `paymentSucceeded`
 * runs in the ledger's transaction with the booking's lock held; `afterApplied` after the commit
 * (the money that has no booking to go to is refunded there: a call to Stripe, never in a transaction).
 */
export interface PaymentSettlement {
  paymentSucceeded(tx: Transaction, payment: PaymentRow): Promise<void>;
  /** `paymentSucceeded` for a webhook batch's bookings at once, set-based (else once per payment). */
  paymentsSucceeded?(tx: Transaction, settled: SucceededBooking[]): Promise<void>;
  afterApplied(bookingId: string): Promise<void>;
}

/** A booking whose payment stands succeeded after a webhook batch, with what its ledger has paid. */
export interface SucceededBooking {
  bookingId: string;
  paidCents: number;
}

/**
 * Stripe webhooks, verified, stored, then applied exactly once (docs/decisions/018-payments.md):
 * `receive` checks the signature and stores the event by id (a redelivery is a duplicate); `apply`
 * runs it through the booking's payment ledger in one transaction, holding what cannot apply yet
 * and retrying the booking's held events after each one that applies.
 */
export class StripeWebhookService {
  private readonly inFlight = new Set<Promise<unknown>>();
  /** One batch in flight per lane (`laneOf`): the events that arrive meanwhile make its next one. */
  private readonly batches = new GroupCommit<Stripe.Event, Accepted>(
    (_key, events) => this.acceptBatch(events),
    MAX_BATCH,
  );

  constructor(
    private readonly db: Database,
    private readonly events: StripeEventsRepository,
    private readonly payments: PaymentsRepository,
    private readonly webhookSecret: string | undefined,
    /** `retried`: a batch rolled back and its events (ids joined) go one by one; not a lost event. */
    private readonly onError: (error: unknown, eventId: string, retried?: boolean) => void = () => {},
    private readonly settlement: PaymentSettlement | null = null,
  ) {}

  async receive(
    rawBody: Buffer,
    signature: string | undefined,
  ): Promise<{ eventId: string; duplicate: boolean }> {
    const event = this.verify(rawBody, signature);
    const isNew = await this.events.insertIfNew(stored(event));
    return { eventId: event.id, duplicate: !isNew };
  }

  /**
   * What the webhook route does: verifies, then joins the batch in flight (group commit), which
   * stores and applies its events in ONE transaction; the answer comes after that commit
   * (bench/payments-webhooks.md). `applied: false` for a repeat, or an event that failed to apply
   * (stored alone, acknowledged, and left to `applySoon` and the sweep).
   */
  async accept(rawBody: Buffer, signature: string | undefined): Promise<Accepted> {
    // Verified before it joins a batch: a forged event is the sender's 400 alone.
    const event = this.verify(rawBody, signature);
    return this.batches.submit(laneOf(event), event);
  }

  /**
   * One batch: a redelivery within it is answered as its twin; the rest stored in one statement and
   * applied (set-based, then one by one for what that pass leaves) in one transaction. If anything
   * throws, the batch is rolled back and each event goes through `acceptOne` on its own, so one
   * poisoned event costs the others nothing but the retry.
   */
  private async acceptBatch(events: Stripe.Event[]): Promise<Settled<Accepted>[]> {
    const firstIndex = new Map<string, number>();
    for (const [i, e] of events.entries()) if (!firstIndex.has(e.id)) firstIndex.set(e.id, i);
    const unique = events.filter((e, i) => firstIndex.get(e.id) === i);
    let isNew: Set<string>;
    const touched = new Map<string, string>();
    try {
      isNew = await this.db.transaction(async (tx) => {
        const inserted = await this.events.insertMany(tx, unique.map(stored));
        const batch = await applyBatch(tx, unique.filter((e) => inserted.has(e.id)).map(stored), {
          events: this.events,
          payments: this.payments,
          settlement: this.settlement,
        });
        for (const [bookingId, held] of batch.release) await this.releaseHeld(tx, bookingId, held);
        for (const bookingId of batch.touched) touched.set(bookingId, bookingId);
        for (const row of batch.slow) {
          const outcome = await this.applyRow(tx, row, null);
          if (outcome.result === 'applied' && outcome.bookingId)
            await this.releaseHeld(tx, outcome.bookingId, outcome.held);
          if (outcome.bookingId) touched.set(outcome.bookingId, row.id);
        }
        return inserted;
      });
    } catch (error) {
      if (unique.length === 1) {
        const event = unique[0]!;
        this.onError(error, event.id);
        const fresh = await settle(this.events.insertIfNew(stored(event)));
        return events.map(() =>
          fresh.ok
            ? { ok: true, value: { eventId: event.id, duplicate: !fresh.value, applied: false } }
            : fresh,
        );
      }
      this.onError(error, unique.map((e) => e.id).join(','), true);
      const answers = new Map<string, Settled<Accepted>>();
      for (const event of unique) answers.set(event.id, await settle(this.acceptOne(event)));
      return events.map((e, i) => {
        const first = answers.get(e.id)!;
        return firstIndex.get(e.id) === i || !first.ok
          ? first
          : { ok: true, value: { ...first.value, duplicate: true } };
      });
    }
    // Side by side: each tells the edge streams its booking moved before anything else it does.
    await Promise.all([...touched].map(([bookingId, eventId]) => this.settleAfter(bookingId, eventId)));
    return events.map((e, i) => {
      const twin = firstIndex.get(e.id) !== i;
      const fresh = isNew.has(e.id);
      // A twin of an event this batch applied needs no retry; a repeat of an older one may.
      return { ok: true, value: { eventId: e.id, duplicate: twin || !fresh, applied: fresh } };
    });
  }

  /** One event in its own transaction (a failed batch's events, one by one). */
  private async acceptOne(event: Stripe.Event): Promise<Accepted> {
    try {
      const { isNew, bookingId } = await this.db.transaction(async (tx) => {
        const row = await this.events.insertNew(tx, stored(event));
        if (!row) return { isNew: false, bookingId: null };
        const outcome = await this.applyRow(tx, row, null);
        if (outcome.result === 'applied' && outcome.bookingId)
          await this.releaseHeld(tx, outcome.bookingId, outcome.held);
        return { isNew: true, bookingId: outcome.bookingId };
      });
      if (bookingId) await this.settleAfter(bookingId, event.id);
      return { eventId: event.id, duplicate: !isNew, applied: isNew };
    } catch (error) {
      this.onError(error, event.id);
      const isNew = await this.events.insertIfNew(stored(event));
      return { eventId: event.id, duplicate: !isNew, applied: false };
    }
  }

  private verify(rawBody: Buffer, signature: string | undefined): Stripe.Event {
    if (this.webhookSecret === undefined) {
      throw new DomainError('NOT_READY', 'Stripe webhooks are off: STRIPE_WEBHOOK_SECRET is not set');
    }
    if (!signature) throw badRequest('Stripe-Signature', 'the Stripe-Signature header is missing');
    try {
      return verifyStripeEvent(rawBody, signature, this.webhookSecret);
    } catch {
      throw badRequest(
        'Stripe-Signature',
        "the signature does not match this endpoint's secret, or is too old",
      );
    }
  }

  /** Applies a stored event in the background (after the acknowledgement); `idle` waits for it. */
  applySoon(eventId: string): void {
    const run = this.apply(eventId)
      .catch((error) => this.onError(error, eventId))
      .finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Stored events that were never tried (a crash after the acknowledgement), oldest first. */
  async applyUntried(olderThanMs = 5_000, limit = 100): Promise<number> {
    const ids = await this.events.untriedIds(new Date(Date.now() - olderThanMs), limit);
    for (const id of ids) await this.apply(id);
    return ids.length;
  }

  /** Applies one stored event (a no-op once applied); 'held' while the ledger cannot take it. */
  async apply(eventId: string): Promise<'applied' | 'held' | 'skipped'> {
    const outcome = await this.db.transaction(async (tx) => {
      const row = await this.events.lock(tx, eventId);
      if (!row || row.appliedAt) return { result: 'skipped' as const, bookingId: null };
      const outcome = await this.applyRow(tx, row, null);
      if (outcome.result === 'applied' && outcome.bookingId)
        await this.releaseHeld(tx, outcome.bookingId, outcome.held);
      return outcome;
    });
    if (outcome.bookingId) await this.settleAfter(outcome.bookingId, eventId);
    return outcome.result;
  }

  /**
   * A payment's state as read from Stripe rather than pushed (the checkout return page asks for
   * the session): through the same ledger and settlement as a webhook, under the booking's lock, so
   * whichever of the two comes first confirms the booking and the other finds it done.
   */
  async applyObserved(payment: PaymentRow, mapped: MappedPayment, sourceId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.payments.lockBooking(tx, payment.bookingId);
      const fresh = (await this.payments.findPayment(payment.id, tx)) ?? payment;
      const step = await this.applyPayment(tx, sourceId, fresh, mapped);
      if (step.outcome === 'applied') await this.releaseHeld(tx, payment.bookingId);
    });
    await this.settleAfter(payment.bookingId, sourceId);
  }

  /**
   * The settlement's follow-up (a refund call) after the commit. Its failure is reported, not
   * thrown: the event is applied whatever Stripe answers, and the expiry sweep asks again.
   */
  private async settleAfter(bookingId: string, eventId: string): Promise<void> {
    try {
      await this.settlement?.afterApplied(bookingId);
    } catch (error) {
      this.onError(error, eventId);
    }
  }

  /** Retries the booking's held events until a pass applies none (`first`: the first pass's, known already). */
  private async releaseHeld(tx: Transaction, bookingId: string, first?: string[]): Promise<void> {
    let progress = true;
    let ids = first;
    while (progress) {
      progress = false;
      for (const id of ids ?? (await this.events.heldIds(tx, bookingId))) {
        // A held event another transaction is applying right now is left to it.
        const row = await this.events.lock(tx, id, true);
        if (!row || row.appliedAt) continue;
        if ((await this.applyRow(tx, row, bookingId)).result === 'applied') progress = true;
      }
      ids = undefined;
    }
  }

  /**
   * One event through the ledger. `onlyBooking`: while releasing a booking's held events, an event
   * that turns out to concern another booking is left held (its own next event will release it).
   */
  private async applyRow(
    tx: Transaction,
    row: Pick<StripeEventRow, 'id' | 'payload'>,
    onlyBooking: string | null,
  ): Promise<Applied> {
    const mapped = mapStripeEvent(row.payload as unknown as Stripe.Event);
    if (mapped.kind === 'ignored') {
      await this.events.markApplied(tx, row.id, null);
      return { result: 'applied', bookingId: null };
    }
    let payment = await this.paymentOf(tx, mapped);
    if (!payment) {
      // Retried from a booking's held events: still unknown, left as it is.
      if (onlyBooking !== null) return { result: 'held', bookingId: null };
      await this.payments.lockProviderIds(tx, providerIdsOf(mapped));
      payment = await this.paymentOf(tx, mapped);
    }
    if (!payment) {
      await this.events.markHeld(tx, row.id, 'unknown_payment', null);
      return { result: 'held', bookingId: null };
    }
    const bookingId = payment.bookingId;
    if (onlyBooking !== null && bookingId !== onlyBooking) return { result: 'held', bookingId };
    await this.payments.lockBooking(tx, bookingId);
    const step =
      mapped.kind === 'payment'
        ? await this.applyPayment(tx, row.id, payment, mapped)
        : await this.applyRefund(tx, row.id, payment, mapped);
    if (step.outcome === 'held') {
      await this.events.markHeld(tx, row.id, step.reason, bookingId);
      return { result: 'held', bookingId };
    }
    const held = await this.events.markAppliedListingHeld(tx, row.id, bookingId);
    await reportMoneyMoved(tx, bookingId, step);
    return { result: 'applied', bookingId, held };
  }

  private async paymentOf(tx: Executor, mapped: Exclude<MappedStripeEvent, { kind: 'ignored' }>) {
    if (isUuid(mapped.paymentId)) {
      const byOurId = await this.payments.findPayment(mapped.paymentId, tx);
      if (byOurId) return byOurId;
    }
    if (mapped.providerPaymentId) {
      const byIntent = await this.payments.findPaymentByProviderId(mapped.providerPaymentId, tx);
      if (byIntent) return byIntent;
    }
    if (mapped.kind === 'payment' && mapped.checkoutId) {
      return this.payments.findPaymentByCheckoutId(mapped.checkoutId, tx);
    }
    return undefined;
  }

  private async applyPayment(
    tx: Transaction,
    eventId: string,
    payment: PaymentRow,
    mapped: MappedPayment,
  ): Promise<LedgerStep> {
    const ledger = await this.payments.ledgerOf(tx, payment.bookingId);
    const step = applyLedgerEvent(ledger, {
      kind: 'payment',
      eventId,
      paymentRef: payment.id,
      status: mapped.status,
      amountCents: mapped.amountCents,
    });
    // The provider's ids are facts about the payment, whatever the state machine decides.
    const ids = {
      ...(mapped.providerPaymentId && !payment.providerPaymentId
        ? { providerPaymentId: mapped.providerPaymentId }
        : {}),
      ...(mapped.checkoutId && !payment.providerCheckoutId ? { providerCheckoutId: mapped.checkoutId } : {}),
    };
    if (step.outcome === 'applied' && step.payment) {
      await this.payments.updatePayment(tx, payment.id, {
        ...ids,
        status: step.payment.status,
        amountCents: step.payment.amountCents,
        ...(step.payment.status === 'succeeded' ? { succeededAt: new Date() } : {}),
      });
    } else if (Object.keys(ids).length > 0) {
      await this.payments.updatePayment(tx, payment.id, ids);
    }
    // Events held because these ids were unknown become resolvable; see lockProviderIds.
    const newIds = Object.values(ids);
    if (newIds.length > 0) await this.payments.lockProviderIds(tx, newIds);
    // Whether this event or an earlier one made it succeed: confirming is idempotent.
    if (step.ledger.payments[payment.id]?.status === 'succeeded' && this.settlement) {
      await this.settlement.paymentSucceeded(tx, { ...payment, status: 'succeeded' });
    }
    return step;
  }

  private async applyRefund(
    tx: Executor,
    eventId: string,
    payment: PaymentRow,
    mapped: Extract<MappedStripeEvent, { kind: 'refund' }>,
  ): Promise<LedgerStep> {
    const ours =
      (isUuid(mapped.refundId) ? await this.payments.findRefund(mapped.refundId, tx) : undefined) ??
      (await this.payments.findRefundByProviderId(mapped.providerRefundId, tx));
    const ledger = await this.payments.ledgerOf(tx, payment.bookingId);
    // A refund made outside ClubOS gets its row's id now, so its step (and its receipt) name that row.
    const newId = ours ? undefined : randomUUID();
    const step = applyLedgerEvent(ledger, {
      kind: 'refund',
      eventId,
      refundRef: ours?.id ?? newId!,
      paymentRef: payment.id,
      status: mapped.status,
      amountCents: mapped.amountCents,
    });
    if (step.outcome === 'applied' && step.refund) {
      const values = { status: step.refund.status, amountCents: step.refund.amountCents };
      if (ours) {
        await this.payments.updateRefund(tx, ours.id, {
          ...values,
          providerRefundId: mapped.providerRefundId,
        });
      } else {
        // Made outside ClubOS (Stripe's dashboard): recorded so the ledger matches Stripe's.
        await this.payments.insertRefund(tx, {
          ...values,
          id: newId,
          facilityId: payment.facilityId,
          paymentId: payment.id,
          bookingId: payment.bookingId,
          seq: await this.payments.nextRefundSeq(tx, payment.bookingId),
          reason: mapped.reason ?? 'refunded in Stripe',
          actor: 'provider',
          providerRefundId: mapped.providerRefundId,
        });
      }
    } else if (ours && !ours.providerRefundId) {
      await this.payments.updateRefund(tx, ours.id, { providerRefundId: mapped.providerRefundId });
    }
    return step;
  }
}
