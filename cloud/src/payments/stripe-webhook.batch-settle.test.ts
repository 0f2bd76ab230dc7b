import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BookingRepository } from '../bookings/booking.repository.js';
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
import {
  bookingIdInLane,
  type HoldOptions,
  type WebhookHolds,
  webhookHolds,
  webhookOutcome,
} from '../testing/webhook-holds.js';
import type { PaymentRow } from './payments.repository.js';
import { StripeEventsRepository } from './stripe-events.repository.js';
import { StripeWebhookService } from './stripe-webhook.service.js';

const intentCreated = (id: string, p: PaymentRow) => ({
  ...intentSucceeded(id, p),
  type: 'payment_intent.created',
});
/** A refund ClubOS made (its row named in the metadata) whose payout Stripe reports later. */
const refundPaidOut = (id: string, p: PaymentRow, refundId: string, rowId: string, amountCents: number) => {
  const event = refundCreated(id, p, refundId, amountCents);
  const object = {
    ...event.data.object,
    metadata: { ...event.data.object.metadata, clubos_refund_id: rowId },
  };
  return { ...event, type: 'refund.updated', data: { object } };
};

/** The id of the refund row a scenario writes for its payment (known to its events too). */
const refundRowOf = (p: PaymentRow) => `0000000a${p.id.slice(8)}`;

interface Scenario {
  name: string;
  hold?: HoldOptions;
  /** Applied one by one before, on both sides. */
  pre?: (p: PaymentRow, tag: string) => object[];
  /** The booking's state changed by other paths between `pre` and the batch. */
  setup?: (w: WebhookBatchWorld, p: PaymentRow) => Promise<void>;
  batch: (p: PaymentRow, tag: string) => object[];
}

const scenarios: Scenario[] = [
  { name: 'new', batch: (p, t) => [intentSucceeded(`evt_${t}_new`, p)] },
  {
    name: 'duplicate',
    batch: (p, t) => [1, 2, 3].map(() => intentSucceeded(`evt_${t}_dup`, p)),
  },
  {
    name: 'out of order',
    batch: (p, t) => [
      refundCreated(`evt_${t}_ooo_re`, p, `re_${t}_ooo`, 1_000),
      intentSucceeded(`evt_${t}_ooo`, p),
    ],
  },
  {
    name: 'late',
    batch: (p, t) => [intentSucceeded(`evt_${t}_late`, p), intentCreated(`evt_${t}_late_created`, p)],
  },
  {
    name: 'deposit',
    hold: { priceCents: 10_000, amountCents: 3_000 },
    batch: (p, t) => [intentSucceeded(`evt_${t}_deposit`, p)],
  },
  {
    name: 'redelivered, refund made on Stripe',
    pre: (p, t) => [intentSucceeded(`evt_${t}_redo`, p)],
    batch: (p, t) => [
      intentSucceeded(`evt_${t}_redo`, p),
      refundCreated(`evt_${t}_redo_re`, p, `re_${t}_redo`, 500),
    ],
  },
  {
    name: 'cancelled, refund paid out',
    pre: (p, t) => [intentSucceeded(`evt_${t}_due`, p)],
    setup: async (w, p) => {
      await w.payments.insertRefund(w.t.app.db, {
        id: refundRowOf(p),
        paymentId: p.id,
        bookingId: p.bookingId,
        facilityId: p.facilityId,
        seq: 1,
        amountCents: 1_000,
        reason: 'cancelled',
        actor: 'customer',
        status: 'pending',
      });
      await new BookingRepository(w.t.app.db).update(w.t.app.db, p.bookingId, {
        status: 'cancelled',
        paymentStatus: 'refund_due',
        refundCents: 1_000,
      });
    },
    batch: (p, t) => [refundPaidOut(`evt_${t}_due_re`, p, `re_${t}_due`, refundRowOf(p), 1_000)],
  },
];

describe.each(testDatabases())('a webhook batch settled set-based on %s', (kind) => {
  let w: WebhookBatchWorld;
  let holds: WebhookHolds;
  beforeAll(async () => {
    w = await webhookBatchWorld(kind);
    holds = await webhookHolds(w);
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => w?.close());

  const service = () => w.t.app.services.stripeWebhooks;
  const accept = (event: object) => {
    const { raw, signature } = signEvent(event);
    return service().accept(raw, signature);
  };
  /** The one-by-one path: stored, then applied alone (its held events released as it goes). */
  const oneByOne = async (events: object[]) => {
    for (const event of events) {
      const { raw, signature } = signEvent(event);
      const { eventId, duplicate } = await service().receive(raw, signature);
      if (!duplicate) await service().apply(eventId);
    }
  };
  async function countTransactions(run: () => Promise<unknown>): Promise<number> {
    const db = w.t.app.db;
    const original = db.transaction;
    let transactions = 0;
    db.transaction = ((...args: Parameters<typeof original>) => {
      transactions++;
      return original.apply(db, args);
    }) as typeof original;
    try {
      await run();
      return transactions;
    } finally {
      db.transaction = original;
    }
  }

  it('ends a mixed batch (new, duplicate, out of order, late, deposit, refunds) as one by one does', async () => {
    const prepare = async (tag: string, id: () => string | undefined) => {
      const out: { s: Scenario; p: PaymentRow }[] = [];
      for (const s of scenarios) {
        const p = await holds.hold({ ...s.hold, id: id(), customerId: await holds.customer() });
        await oneByOne(s.pre?.(p, tag) ?? []);
        await s.setup?.(w, p);
        out.push({ s, p });
      }
      return out;
    };
    const batched = await prepare('a', () => bookingIdInLane('0'));
    const alone = await prepare('b', () => undefined);

    // Every event of the batch side in one tick and one lane: ONE transaction for all of them.
    const transactions = await countTransactions(() =>
      Promise.all(batched.flatMap(({ s, p }) => s.batch(p, 'a').map(accept))),
    );
    expect(transactions).toBe(1);
    for (const { s, p } of alone) await oneByOne(s.batch(p, 'b'));

    for (const [i, { s, p }] of batched.entries()) {
      const expected = await webhookOutcome(w, alone[i]!.p.bookingId);
      expect({ scenario: s.name, ...(await webhookOutcome(w, p.bookingId)) }).toEqual({
        scenario: s.name,
        ...expected,
      });
    }
    const outcome = (name: string) =>
      webhookOutcome(w, batched[scenarios.findIndex((s) => s.name === name)]!.p.bookingId);
    expect((await outcome('new')).booking).toMatchObject({ status: 'confirmed', payment_status: 'paid' });
    expect((await outcome('new')).feed).toEqual([{ op: 'upsert', status: 'confirmed', has_pin: true }]);
    expect((await outcome('new')).notifications).toEqual([
      { kind: 'confirmation', version: 1 },
      { kind: 'payment_receipt', version: 1 },
    ]);
    expect((await outcome('deposit')).booking).toMatchObject({ payment_status: 'deposit_paid' });
    expect((await outcome('out of order')).refunds).toMatchObject([
      { status: 'succeeded', amount_cents: 1_000 },
    ]);
    expect((await outcome('cancelled, refund paid out')).booking).toMatchObject({
      payment_status: 'refunded',
    });
  });

  it('confirms the holds of two facilities whose customer is shared in one batch', async () => {
    const other = await webhookHolds(w, true);
    const customer = await holds.customer();
    const paid = [
      await holds.hold({ id: bookingIdInLane('0'), customerId: customer }),
      await other.hold({ id: bookingIdInLane('0'), customerId: customer }),
      await other.hold({ id: bookingIdInLane('0'), customerId: customer }),
    ];
    const transactions = await countTransactions(() =>
      Promise.all(paid.map((p, i) => accept(intentSucceeded(`evt_two_venues_${i}`, p)))),
    );
    expect(transactions).toBe(1);
    for (const p of paid) {
      const outcome = await webhookOutcome(w, p.bookingId);
      expect(outcome.booking).toMatchObject({ status: 'confirmed', payment_status: 'paid' });
      expect(outcome.feed).toEqual([{ op: 'upsert', status: 'confirmed', has_pin: true }]);
    }
    // Each venue's feed has its own entries; the customer's totals count all three.
    const facilities = new Set(paid.map((p) => p.facilityId));
    expect(facilities.size).toBe(2);
    expect((await webhookOutcome(w, paid[0]!.bookingId)).booking).toMatchObject({
      total_bookings: 3,
      total_spent_cents: 3 * 4_500,
    });
  });
});

/** Statements sent to PostgreSQL by this process (round trips, BEGIN and COMMIT included). */
async function countStatements(run: () => Promise<unknown>): Promise<number> {
  const original = pg.Client.prototype.query;
  let statements = 0;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    statements++;
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  try {
    await run();
    return statements;
  } finally {
    pg.Client.prototype.query = original;
  }
}

describe.each(testDatabases().filter((k) => k === 'postgres'))('webhook batches on %s', (kind) => {
  let w: WebhookBatchWorld;
  let holds: WebhookHolds;
  beforeAll(async () => {
    w = await webhookBatchWorld(kind);
    holds = await webhookHolds(w);
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => w?.close());

  const accept = (service: StripeWebhookService, event: object) => {
    const { raw, signature } = signEvent(event);
    return service.accept(raw, signature);
  };

  it('confirm N bookings (payment and refund each) in the same few statements whatever N', async () => {
    const batchOf = async (n: number, tag: string) => {
      const customer = await holds.customer();
      const paid = await Promise.all(
        Array.from({ length: n }, () => holds.hold({ id: bookingIdInLane('0'), customerId: customer })),
      );
      const events = paid.flatMap((p, i) => [
        intentSucceeded(`evt_${tag}_${i}`, p),
        refundCreated(`evt_${tag}_${i}_re`, p, `re_${tag}_${i}`, 500),
      ]);
      const statements = await countStatements(() =>
        Promise.all(events.map((e) => accept(w.t.app.services.stripeWebhooks, e))),
      );
      for (const p of paid)
        expect((await webhookOutcome(w, p.bookingId)).booking).toMatchObject({ status: 'confirmed' });
      return statements;
    };
    const four = await batchOf(4, 'four');
    const sixteen = await batchOf(16, 'sixteen');
    // One batch each: the statements do not grow with the bookings (was ~12 per booking confirmed).
    // A statement or two of slack for the leader lease's heartbeat, which shares the process.
    expect(sixteen).toBeLessThanOrEqual(four + 2);
    expect(sixteen / 32).toBeLessThan(1);
  });

  it('runs concurrent batches whose bookings share customers and a facility without deadlocks', async () => {
    const errors: unknown[] = [];
    const db = w.t.app.db;
    const service = new StripeWebhookService(
      db,
      new StripeEventsRepository(db),
      w.payments,
      BATCH_WEBHOOK_SECRET,
      (error) => errors.push(error),
      w.t.app.services.bookingCheckout,
    );
    for (let round = 0; round < 6; round++) {
      const [x, y] = [await holds.customer(), await holds.customer()];
      // Lane 0 confirms X's then Y's bookings, lane 1 Y's then X's: one-by-one confirmations
      // locked the customers in that order and the facility's change-log counter in between.
      const paid: PaymentRow[] = [];
      for (let i = 0; i < 6; i++) {
        paid.push(await holds.hold({ id: bookingIdInLane('0'), customerId: i % 2 === 0 ? x : y }));
        paid.push(await holds.hold({ id: bookingIdInLane('1'), customerId: i % 2 === 0 ? y : x }));
      }
      const original = db.transaction;
      let transactions = 0;
      db.transaction = ((...args: Parameters<typeof original>) => {
        transactions++;
        return original.apply(db, args);
      }) as typeof original;
      const answers = await Promise.all(
        paid.map((p, i) => accept(service, intentSucceeded(`evt_dl_${round}_${i}`, p))),
      ).finally(() => {
        db.transaction = original;
      });
      // One per lane: a deadlock rolls a batch back and retries its events one by one.
      expect(transactions).toBe(2);
      expect(answers.every((a) => a.applied)).toBe(true);
      for (const p of paid)
        expect((await webhookOutcome(w, p.bookingId)).booking).toMatchObject({ status: 'confirmed' });
    }
    expect(errors).toEqual([]);
  });
});
