import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETUP_TIMEOUT_MS } from '../testing/ops-world.js';
import {
  BATCH_WEBHOOK_SECRET,
  intentSucceeded,
  refundCreated,
  signEvent,
  type WebhookBatchWorld,
  webhookBatchWorld,
} from '../testing/stripe-webhook-batch.js';
import { testDatabases } from '../testing/test-app.js';
import { bookingIdInLane } from '../testing/webhook-holds.js';
import type { PaymentRow } from './payments.repository.js';
import { StripeEventsRepository } from './stripe-events.repository.js';
import { LANES } from './stripe-webhook.batch.js';
import { type PaymentSettlement, StripeWebhookService } from './stripe-webhook.service.js';

describe.each(testDatabases())('webhooks accepted together share one transaction on %s', (kind) => {
  let w: WebhookBatchWorld;
  beforeAll(async () => {
    w = await webhookBatchWorld(kind);
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => w?.close());

  const service = () => w.t.app.services.stripeWebhooks;
  const accept = (event: object) => {
    const { raw, signature } = signEvent(event);
    return service().accept(raw, signature);
  };
  const eventRow = (id: string) => new StripeEventsRepository(w.t.app.db).find(id);

  /** Counts the transactions `run` opens on the app's database. */
  async function countTransactions<T>(run: () => Promise<T>): Promise<{ value: T; transactions: number }> {
    const db = w.t.app.db;
    const original = db.transaction;
    let transactions = 0;
    db.transaction = ((...args: Parameters<typeof original>) => {
      transactions++;
      return original.apply(db, args);
    }) as typeof original;
    try {
      return { value: await run(), transactions };
    } finally {
      db.transaction = original;
    }
  }

  it('stores and applies many events in a few commits (one per lane), each answered on its own', async () => {
    const paid = await Promise.all(Array.from({ length: 12 }, () => w.pendingPayment()));
    const { value, transactions } = await countTransactions(() =>
      Promise.all(paid.map((p, i) => accept(intentSucceeded(`evt_together_${i}`, p)))),
    );
    // One per lane at most (one per event without batches).
    expect(transactions).toBeLessThanOrEqual(LANES);
    expect(value.map((a) => a.eventId)).toEqual(paid.map((_, i) => `evt_together_${i}`));
    expect(value.every((a) => a.applied && !a.duplicate)).toBe(true);
    for (const p of paid) expect((await w.payments.findPayment(p.id))?.status).toBe('succeeded');
  });

  it('applies a refund that arrives together with its payment, held until the payment applies', async () => {
    const p = await w.pendingPayment();
    // The refund first: held, then released by its payment in the same transaction.
    const answers = await Promise.all([
      accept(refundCreated('evt_pair_refund', p, 're_pair', 1_000)),
      accept(intentSucceeded('evt_pair_paid', p)),
    ]);
    expect(answers.every((a) => a.applied)).toBe(true);
    const refunds = await w.payments.refundsOf(p.bookingId);
    expect(refunds.map((r) => [r.providerRefundId, r.amountCents, r.status])).toEqual([
      ['re_pair', 1_000, 'succeeded'],
    ]);
    expect((await eventRow('evt_pair_refund'))?.appliedAt).not.toBeNull();
  });

  it('applies a redelivery inside one batch once, and answers it as a duplicate', async () => {
    const p = await w.pendingPayment();
    await accept(intentSucceeded('evt_twin_paid', p));
    const twin = refundCreated('evt_twin_refund', p, 're_twin', 700);
    const answers = await Promise.all([accept(twin), accept(twin), accept(twin)]);
    expect(answers.map((a) => a.duplicate)).toEqual([false, true, true]);
    const refunds = await w.payments.refundsOf(p.bookingId);
    expect(refunds.map((r) => [r.providerRefundId, r.amountCents])).toEqual([['re_twin', 700]]);
  });

  it('does not let a poisoned event stop the others of its batch', async () => {
    // All in one lane, so they meet in one batch.
    const inLane = () => w.pendingPayment(4_500, bookingIdInLane('0'));
    const good = await Promise.all(Array.from({ length: 5 }, inLane));
    const poisoned = await inLane();
    const reports: string[] = [];
    const db = w.t.app.db;
    const own = new StripeWebhookService(
      db,
      new StripeEventsRepository(db),
      w.payments,
      BATCH_WEBHOOK_SECRET,
      (_error, eventId, retried) => reports.push(`${retried ? 'batch' : 'event'} ${eventId}`),
    );
    const send = (event: object) => {
      const { raw, signature } = signEvent(event);
      return own.accept(raw, signature);
    };
    // A negative amount makes the ledger throw, which rolls the whole batch back: then one by one.
    const answers = await Promise.all([
      ...good.slice(0, 2).map((p, i) => send(intentSucceeded(`evt_good_${i}`, p))),
      send(intentSucceeded('evt_poisoned', poisoned, -1)),
      ...good.slice(2).map((p, i) => send(intentSucceeded(`evt_good_${i + 2}`, p))),
    ]);
    await own.idle();
    // The rolled-back batch is reported (with its events), then the one event that failed alone.
    expect(reports.filter((r) => r.startsWith('batch'))).toHaveLength(1);
    expect(reports.find((r) => r.startsWith('batch'))).toContain('evt_poisoned');
    expect(reports.filter((r) => r.startsWith('event'))).toEqual(['event evt_poisoned']);
    expect(answers.map((a) => a.applied)).toEqual([true, true, false, true, true, true]);
    for (const p of good) expect((await w.payments.findPayment(p.id))?.status).toBe('succeeded');
    // Stored and acknowledged for the retries, never applied; its payment untouched.
    const stored = await eventRow('evt_poisoned');
    expect(stored).toBeDefined();
    expect(stored?.appliedAt).toBeNull();
    expect((await w.payments.findPayment(poisoned.id))?.status).toBe('pending');
  });

  it('answers no event of a batch before its commit', async () => {
    let enter!: () => void;
    const entered = new Promise<void>((resolve) => {
      enter = resolve;
    });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // A settlement that stops inside the batch's transaction until released.
    const settlement: PaymentSettlement = {
      paymentSucceeded: async (_tx, _payment: PaymentRow) => {
        enter();
        await gate;
      },
      afterApplied: async () => {},
    };
    const db = w.t.app.db;
    const gated = new StripeWebhookService(
      db,
      new StripeEventsRepository(db),
      w.payments,
      BATCH_WEBHOOK_SECRET,
      () => {},
      settlement,
    );
    const paid = await Promise.all(Array.from({ length: 4 }, () => w.pendingPayment()));
    const answered: string[] = [];
    const all = Promise.all(
      paid.map((p, i) => {
        const { raw, signature } = signEvent(intentSucceeded(`evt_gated_${i}`, p));
        return gated.accept(raw, signature).then((a) => {
          answered.push(a.eventId);
          return a;
        });
      }),
    );
    await entered;
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Inside the transaction: nothing acknowledged and, seen from another connection, nothing stored.
    // (PGlite has one connection, held by the open transaction: only the answers are checked there.)
    expect(answered).toEqual([]);
    if (kind === 'postgres') expect(await eventRow('evt_gated_0')).toBeUndefined();
    release();
    const answers = await all;
    expect(answers.every((a) => a.applied)).toBe(true);
    expect(answered).toHaveLength(4);
    expect((await eventRow('evt_gated_3'))?.appliedAt).not.toBeNull();
  });
});
