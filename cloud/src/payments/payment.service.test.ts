import { ledgerTotals, refundableCents } from '@clubos/shared/payments';
import { signatureHeader } from '@clubos/simulators/stripe/index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { book, hoursFromNow, SETUP_TIMEOUT_MS } from '../testing/ops-world.js';
import {
  holdFor,
  type StripeHarness,
  startStripeHarness,
  storedEvents,
  WEBHOOK_SECRET,
} from '../testing/stripe.js';
import { testDatabases } from '../testing/test-app.js';
import { PaymentsRepository } from './payments.repository.js';

const urls = { successUrl: 'http://site.test/ok', cancelUrl: 'http://site.test/cancel' };

describe.each(testDatabases())('payments through the Stripe simulator on %s', (kind) => {
  let h: StripeHarness;
  let repo: PaymentsRepository;
  let slot = 30;
  beforeAll(async () => {
    h = await startStripeHarness(kind);
    repo = new PaymentsRepository(h.t.app.db);
    for (const [facility, payload] of [
      [h.w.facilityA, { mode: 'full' }],
      [h.w.facilityB, { mode: 'deposit', deposit_bps: 2500, currency: 'cad' }],
    ] as const) {
      const res = await h.t.request({
        method: 'PUT',
        url: `/api/v1/admin/facilities/${facility}/payment-policy`,
        token: h.w.tokens.admin,
        payload,
      });
      expect(res.statusCode, res.body).toBe(200);
    }
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => h?.close());

  const sessionOf = (url: string) => h.sim.store.checkoutSessions.require(url.split('/').pop()!);
  const waitFor = async (check: () => Promise<boolean>, what: string) => {
    for (let i = 0; i < 100; i++) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`timed out waiting for ${what}`);
  };

  it("asks the facility's deposit, in its currency", async () => {
    const hold = await holdFor(h, h.w.bayB1, slot++);
    const checkout = await h.t.app.services.payments.startCheckout(hold.id, urls);
    expect(checkout.amountCents).toBe(Math.round(hold.price_cents / 4));
    expect(checkout.currency).toBe('cad');
    const session = sessionOf(checkout.checkoutUrl);
    expect(session.amount_total).toBe(checkout.amountCents);
    expect(session.currency).toBe('cad');
    // Stripe's floor is 30 minutes ahead, whatever the hold's own expiry.
    expect(checkout.expiresAt.getTime()).toBeGreaterThan(Date.now() + 30 * 60_000);
  });

  it('records a declined card as a failed attempt, then the card that pays', async () => {
    const hold = await holdFor(h, h.w.bayA1, slot++);
    const checkout = await h.t.app.services.payments.startCheckout(hold.id, urls);
    h.sim.control.payCheckoutSession(sessionOf(checkout.checkoutUrl).id, { number: '4000000000000002' });
    await h.settle();
    expect((await repo.findPayment(checkout.paymentId))?.status).toBe('failed');
    h.sim.control.payCheckoutSession(sessionOf(checkout.checkoutUrl).id, { number: '4242424242424242' });
    await h.settle();
    expect((await repo.findPayment(checkout.paymentId))?.status).toBe('succeeded');
  });

  it('keeps the hold and says so when Stripe is down, and a second attempt gets its own key', async () => {
    const hold = await holdFor(h, h.w.bayA2, slot++);
    h.sim.control.fault({ kind: 'server_error', count: 2 });
    await expect(h.t.app.services.payments.startCheckout(hold.id, urls)).rejects.toMatchObject({
      code: 'NOT_READY',
    });
    h.sim.control.clearFaults();
    const [first] = await repo.paymentsOf(hold.id);
    expect(first).toMatchObject({ status: 'pending', attempt: 1, providerCheckoutId: null });
    const res = await h.t.request({
      method: 'GET',
      url: `/api/v1/bookings/${hold.id}`,
      token: h.w.tokens.customer,
    });
    expect(res.json().status).toBe('pending');
    const retry = await h.t.app.services.payments.startCheckout(hold.id, urls);
    expect((await repo.findPayment(retry.paymentId))?.attempt).toBe(2);
    const keys = h.sim.control
      .requests({ method: 'POST', path: '/v1/checkout/sessions' })
      .map((r) => r.headers['idempotency-key']);
    expect(keys).toContain(`checkout:${hold.id}:2`);
  });

  it('refuses to check out a booking that is not a live hold', async () => {
    // Booked at the desk: confirmed at once, paid at the venue.
    const booked = await book(h.t, h.w.tokens.staffA, h.w.bayA1, hoursFromNow(slot++), 60, {
      email: 'desk-guest@example.test',
    });
    await expect(h.t.app.services.payments.startCheckout(booked.id, urls)).rejects.toMatchObject({
      code: 'INVALID_STATE',
    });
  });

  it('gives the money back to the ledger when a refund fails after it was paid out', async () => {
    const hold = await holdFor(h, h.w.bayA2, slot++);
    const checkout = await h.t.app.services.payments.startCheckout(hold.id, urls);
    h.sim.control.payCheckoutSession(sessionOf(checkout.checkoutUrl).id, { number: '4000000000005126' });
    await h.settle();
    const [refund] = await h.t.app.services.payments.refund(hold.id, 1000, 'goodwill', 'user:staff');
    expect(refund?.status).toBe('succeeded');
    await waitFor(
      async () => (await repo.findRefund(refund!.refundId))?.status === 'failed',
      'the refund to fail',
    );
    await h.settle();
    const ledger = await repo.ledgerOf(h.t.app.db, hold.id);
    expect(ledgerTotals(ledger)).toMatchObject({ paidCents: hold.price_cents, refundedCents: 0 });
    expect(refundableCents(ledger, checkout.paymentId)).toBe(hold.price_cents);
  });

  it('applies an event that was stored but never tried (a crash after the acknowledgement)', async () => {
    const body = JSON.stringify({
      id: 'evt_untried',
      object: 'event',
      type: 'customer.created',
      data: { object: {} },
    });
    const signature = signatureHeader([WEBHOOK_SECRET], Math.floor(Date.now() / 1000), body);
    await h.t.app.services.stripeWebhooks.receive(Buffer.from(body), signature);
    expect((await storedEvents(h)).find((e) => e.id === 'evt_untried')?.appliedAt).toBeNull();
    expect(await h.t.app.services.stripeWebhooks.applyUntried(0)).toBeGreaterThanOrEqual(1);
    expect((await storedEvents(h)).find((e) => e.id === 'evt_untried')?.appliedAt).not.toBeNull();
  });

  it("answers Stripe's refusal as a 422 reason, and marks that checkout attempt failed", async () => {
    const res = await h.t.request({
      method: 'PUT',
      url: `/api/v1/admin/facilities/${h.w.facilityB}/payment-policy`,
      token: h.w.tokens.admin,
      payload: { mode: 'deposit', deposit_cents: 30, currency: 'usd' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const hold = await holdFor(h, h.w.bayB1, slot++);
    await expect(h.t.app.services.payments.startCheckout(hold.id, urls)).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
      message: expect.stringContaining('Stripe refused the checkout'),
    });
    expect((await repo.paymentsOf(hold.id)).map((p) => p.status)).toEqual(['failed']);
  });
});
