import { ledgerTotals } from '@clubos/shared/payments';
import { signatureHeader } from '@clubos/simulators/stripe/index';
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

const urls = {
  successUrl: 'http://site.test/ok?session={CHECKOUT_SESSION_ID}',
  cancelUrl: 'http://site.test/cancel',
};

describe.each(testDatabases())('Stripe webhooks on %s', (kind) => {
  let h: StripeHarness;
  let repo: PaymentsRepository;
  let stripe: Stripe;
  let slot = 2;
  beforeAll(async () => {
    h = await startStripeHarness(kind);
    repo = new PaymentsRepository(h.t.app.db);
    stripe = new Stripe(h.sim.apiKey, h.sim.sdkConfig);
    const policy = await h.t.request({
      method: 'PUT',
      url: `/api/v1/admin/facilities/${h.w.facilityA}/payment-policy`,
      token: h.w.tokens.admin,
      payload: { mode: 'full', currency: 'usd' },
    });
    expect(policy.statusCode, policy.body).toBe(200);
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => h?.close());

  /** A hold, its Checkout Session, paid on the hosted page's logic with a test card. */
  const paidCheckout = async (number = '4242424242424242') => {
    const hold = await holdFor(h, h.w.bayA1, slot++);
    const checkout = await h.t.app.services.payments.startCheckout(hold.id, urls);
    const session = h.sim.store.checkoutSessions.require(checkout.checkoutUrl.split('/').pop()!);
    h.sim.control.payCheckoutSession(session.id, { number });
    return { hold, checkout, session };
  };
  const post = (body: string, signature?: string) =>
    h.t.request({
      method: 'POST',
      url: '/api/v1/payments/stripe/webhook',
      headers: {
        'content-type': 'application/json',
        ...(signature ? { 'stripe-signature': signature } : {}),
      },
      payload: body,
    });

  it('records a Checkout paid on the simulator from its signed webhooks, each event once', async () => {
    const { hold, checkout } = await paidCheckout();
    expect(checkout.amountCents).toBe(hold.price_cents);
    expect(checkout.checkoutUrl).toContain('/c/pay/cs_test_');
    await h.settle();

    const [payment] = await repo.paymentsOf(hold.id);
    expect(payment).toMatchObject({
      status: 'succeeded',
      amountCents: hold.price_cents,
      kind: 'online',
      attempt: 1,
      currency: 'usd',
    });
    expect(payment!.providerPaymentId).toMatch(/^pi_/);
    const events = await storedEvents(h);
    expect(events.length).toBeGreaterThan(0);
    expect(events.filter((e) => e.appliedAt === null)).toEqual([]);
    const delivered = h.sim.control.webhookDeliveries().filter((d) => d.url === h.webhookUrl);
    expect(delivered.every((d) => d.state === 'delivered')).toBe(true);
    // The checkout call carried our key: a retry of the same attempt is the same session.
    const sent = h.sim.control
      .requests()
      .find((r) => r.path === '/v1/checkout/sessions' && r.method === 'POST');
    expect(sent?.headers['idempotency-key']).toBe(`checkout:${hold.id}:1`);
  });

  it('applies duplicated webhooks delivered late and in reverse, holding a refund until its payment', async () => {
    h.sim.control.webhookBehaviour({ hold: true, duplicate: true });
    try {
      const { hold } = await paidCheckout();
      const intentId = h.sim.store.checkoutSessions.all().find((s) => s.client_reference_id === hold.id)
        ?.payment_intent as string;
      // Refunded from Stripe's side before any of our webhooks arrived.
      await stripe.refunds.create({ payment_intent: intentId, amount: 1000 });
      await h.sim.control.releaseWebhooks('reverse');
      await h.settle();

      const ledger = await repo.ledgerOf(h.t.app.db, hold.id);
      expect(ledgerTotals(ledger)).toEqual({
        paidCents: hold.price_cents,
        refundedCents: 1000,
        pendingRefundCents: 0,
        netCents: hold.price_cents - 1000,
      });
      const [refund] = await repo.refundsOf(hold.id);
      expect(refund).toMatchObject({ actor: 'provider', status: 'succeeded', amountCents: 1000 });
      const events = await storedEvents(h);
      expect(events.filter((e) => e.appliedAt === null)).toEqual([]);
      const copies = h.sim.control.webhookDeliveries().filter((d) => d.copy === 2 && d.url === h.webhookUrl);
      expect(copies.length).toBeGreaterThan(0);
      expect(copies.every((d) => d.state === 'delivered')).toBe(true);
    } finally {
      h.sim.control.webhookBehaviour({ hold: false, duplicate: false });
    }
  });

  it('refunds through Stripe with a key per refund, and never more than was paid', async () => {
    const { hold } = await paidCheckout();
    await h.settle();
    const refunds = await h.t.app.services.payments.refund(hold.id, 1500, 'customer cancelled', 'user:test');
    expect(refunds).toEqual([expect.objectContaining({ amountCents: 1500, status: 'succeeded' })]);
    const sent = h.sim.control.requests().filter((r) => r.path === '/v1/refunds' && r.method === 'POST');
    expect(sent.at(-1)?.headers['idempotency-key']).toBe(`refund:${hold.id}:1`);
    await expect(
      h.t.app.services.payments.refund(hold.id, hold.price_cents, 'again', 'user:test'),
    ).rejects.toMatchObject({ field: 'amount_cents' });
    await h.settle();
    const ledger = await repo.ledgerOf(h.t.app.db, hold.id);
    expect(ledgerTotals(ledger)).toMatchObject({ refundedCents: 1500, netCents: hold.price_cents - 1500 });
    expect(await repo.refundsOf(hold.id)).toHaveLength(1);
  });

  it('refuses a forged, a stale or a missing signature with 400 and stores nothing', async () => {
    const before = (await storedEvents(h)).length;
    const body = JSON.stringify({
      id: 'evt_forged',
      object: 'event',
      type: 'payment_intent.succeeded',
      data: { object: {} },
    });
    const now = Math.floor(Date.now() / 1000);
    const forged = await post(body, signatureHeader(['whsec_someone_else'], now, body));
    expect(forged.statusCode, forged.body).toBe(400);
    expect(forged.json().error.field).toBe('Stripe-Signature');
    const stale = await post(body, signatureHeader([WEBHOOK_SECRET], now - 600, body));
    expect(stale.statusCode).toBe(400);
    expect((await post(body)).json().error.field).toBe('Stripe-Signature');
    expect((await storedEvents(h)).length).toBe(before);

    // The same bytes signed properly are stored once; the repeat is acknowledged as a duplicate.
    const good = await post(body, signatureHeader([WEBHOOK_SECRET], now, body));
    expect(good.json()).toEqual({ received: true, duplicate: false });
    expect((await post(body, signatureHeader([WEBHOOK_SECRET], now, body))).json()).toEqual({
      received: true,
      duplicate: true,
    });
    await h.settle();
    expect((await storedEvents(h)).find((e) => e.id === 'evt_forged')?.heldReason).toBe('unknown_payment');
  });
});
