import { ledgerTotals } from '@clubos/shared/payments';
import { signatureHeader } from '@clubos/simulators/stripe/index';
import pg from 'pg';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETUP_TIMEOUT_MS } from '../testing/ops-world.js';
import {
  holdFor,
  type StripeHarness,
  startStripeHarness,
  storedEvents,
  WEBHOOK_SECRET,
} from '../testing/stripe.js';
import { testDatabases } from '../testing/test-app.js';
import { PaymentsRepository } from './payments.repository.js';
import { StripeEventsRepository } from './stripe-events.repository.js';

const BOOKINGS = 8;
const COPIES = 3;

/** Deterministic shuffle (mulberry32), so a failure can be replayed. */
function shuffled<T>(items: T[], seed: number): T[] {
  let a = seed;
  const random = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe.each(testDatabases())("a day's webhooks replayed %s", (kind) => {
  let h: StripeHarness;
  let stripe: Stripe;
  beforeAll(async () => {
    h = await startStripeHarness(kind);
    stripe = new Stripe(h.sim.apiKey, h.sim.sdkConfig);
    const res = await h.t.request({
      method: 'PUT',
      url: `/api/v1/admin/facilities/${h.w.facilityA}/payment-policy`,
      token: h.w.tokens.admin,
      payload: { mode: 'full' },
    });
    expect(res.statusCode, res.body).toBe(200);
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => h?.close());

  it(`${COPIES} times each, shuffled and concurrent: one payment each, every refund, nothing held`, async () => {
    // The day happens with no webhook delivered; then every event arrives 3 times in random order.
    h.sim.control.webhookBehaviour({ drop: true });
    const day: { bookingId: string; intentId: string; refunded: number }[] = [];
    for (let i = 0; i < BOOKINGS; i++) {
      const hold = await holdFor(h, i % 2 === 0 ? h.w.bayA1 : h.w.bayA2, 2 + Math.floor(i / 2));
      const checkout = await h.t.app.services.payments.startCheckout(hold.id, {
        successUrl: 'http://site.test/ok',
        cancelUrl: 'http://site.test/cancel',
      });
      const sessionId = checkout.checkoutUrl.split('/').pop()!;
      if (i % 3 === 0) h.sim.control.payCheckoutSession(sessionId, { number: '4000000000000002' });
      h.sim.control.payCheckoutSession(sessionId, { number: '4242424242424242' });
      const intentId = h.sim.store.checkoutSessions.require(sessionId).payment_intent as string;
      // Refunds made on Stripe's side: a partial one on every other booking, a full one on the last.
      let refunded = 0;
      if (i % 2 === 1) {
        await stripe.refunds.create({ payment_intent: intentId, amount: 700 });
        refunded += 700;
      }
      if (i === BOOKINGS - 1) {
        await stripe.refunds.create({ payment_intent: intentId });
        refunded = hold.price_cents;
      }
      day.push({ bookingId: hold.id, intentId, refunded });
    }
    const events = await stripe.events.list({ limit: 100 }).autoPagingToArray({ limit: 10_000 });
    const deliveries = shuffled(
      events.flatMap((event) => Array.from({ length: COPIES }, () => JSON.stringify(event))),
      20261207,
    );
    const answers: boolean[] = [];
    const send = async (body: string) => {
      const signature = signatureHeader([WEBHOOK_SECRET], Math.floor(Date.now() / 1000), body);
      const res = await fetch(h.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': signature },
        body,
      });
      expect(res.status).toBe(200);
      answers.push(((await res.json()) as { duplicate: boolean }).duplicate);
    };
    for (let i = 0; i < deliveries.length; i += 8) await Promise.all(deliveries.slice(i, i + 8).map(send));
    await h.t.app.services.stripeWebhooks.idle();

    expect(answers.filter((duplicate) => !duplicate)).toHaveLength(events.length);
    const stored = await storedEvents(h);
    expect(stored).toHaveLength(events.length);
    expect(stored.filter((e) => e.appliedAt === null)).toEqual([]);

    const repo = new PaymentsRepository(h.t.app.db);
    for (const { bookingId, intentId, refunded } of day) {
      const intent = await stripe.paymentIntents.retrieve(intentId);
      const paid = (await repo.paymentsOf(bookingId)).filter((p) => p.status === 'succeeded');
      expect(paid).toHaveLength(1); // zero double charges
      expect(paid[0]).toMatchObject({ amountCents: intent.amount_received, providerPaymentId: intentId });
      const totals = ledgerTotals(await repo.ledgerOf(h.t.app.db, bookingId));
      expect(totals).toEqual({
        paidCents: intent.amount_received,
        refundedCents: refunded, // zero lost refunds
        pendingRefundCents: 0,
        netCents: intent.amount_received - refunded,
      });
    }
  });
});

// Two connections at once: PostgreSQL only (PGlite has one connection, so the two cannot cross).
describe.each(testDatabases().filter((kind) => kind === 'postgres'))('an unknown payment on %s', (kind) => {
  let h: StripeHarness;
  beforeAll(async () => {
    h = await startStripeHarness(kind);
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => h?.close());

  it('is looked up again once the transaction recording its Stripe id commits, not held for ever', async () => {
    const repo = new PaymentsRepository(h.t.app.db);
    // A live hold: money paid towards a booking that is gone would be refunded at Stripe instead.
    const hold = await holdFor(h, h.w.bayA1, 40);
    const payment = await repo.insertPayment(h.t.app.db, {
      bookingId: hold.id,
      facilityId: h.w.facilityA,
      kind: 'online',
      provider: 'stripe',
      attempt: 1,
      amountCents: 4500,
      currency: 'usd',
    });
    const refund = JSON.stringify({
      id: 'evt_refund_racing',
      object: 'event',
      type: 'refund.created',
      data: {
        object: {
          id: 're_racing',
          object: 'refund',
          amount: 500,
          status: 'succeeded',
          payment_intent: 'pi_racing',
          metadata: {},
        },
      },
    });
    await h.t.app.services.stripeWebhooks.receive(
      Buffer.from(refund),
      signatureHeader([WEBHOOK_SECRET], Math.floor(Date.now() / 1000), refund),
    );
    // Another transaction is recording the payment's Stripe id (as the payment's own event does).
    const other = new pg.Client({ connectionString: h.t.config.databaseUrl });
    await other.connect();
    try {
      await other.query('begin');
      await other.query("select pg_advisory_xact_lock(hashtextextended('payments:provider:pi_racing', 0))");
      await other.query(
        "update payments set provider_payment_id = 'pi_racing', status = 'succeeded', succeeded_at = now() where id = $1",
        [payment.id],
      );
      const applying = h.t.app.services.stripeWebhooks.apply('evt_refund_racing');
      await new Promise((resolve) => setTimeout(resolve, 300));
      await other.query('commit');
      expect(await applying).toBe('applied');
    } finally {
      await other.end();
    }
    expect((await new StripeEventsRepository(h.t.app.db).find('evt_refund_racing'))?.heldReason).toBeNull();
    expect(await repo.refundsOf(payment.bookingId)).toEqual([
      expect.objectContaining({
        providerRefundId: 're_racing',
        amountCents: 500,
        status: 'succeeded',
        actor: 'provider',
      }),
    ]);
  });
});
