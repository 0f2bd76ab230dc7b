import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  confirmationTraces,
  confirmHoldRequest,
  expireHold,
  returnFrom,
  sessionIdOf,
  setPolicy,
} from '../testing/checkout.js';
import { book, SETUP_TIMEOUT_MS } from '../testing/ops-world.js';
import {
  type CheckoutHold,
  holdFor,
  type StripeHarness,
  startStripeHarness,
  storedEvents,
} from '../testing/stripe.js';
import { testDatabases } from '../testing/test-app.js';
import { HOLD_RAN_OUT, SOLD_WHILE_PAYING } from './booking-checkout.service.js';
import { PaymentsRepository } from './payments.repository.js';

describe.each(testDatabases())('checkout holds that run out, and Stripe down, on %s', (kind) => {
  let h: StripeHarness;
  let repo: PaymentsRepository;
  let slot = 60;
  beforeAll(async () => {
    h = await startStripeHarness(kind);
    repo = new PaymentsRepository(h.t.app.db);
    await setPolicy(h, h.w.facilityA, { mode: 'full' });
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => h?.close());

  const hold = async () => holdFor(h, h.w.bayA1, slot++);
  const checkoutOf = async (held: CheckoutHold) => {
    const res = await confirmHoldRequest(h, held);
    expect(res.statusCode, res.body).toBe(201);
    return sessionIdOf(res.json().checkout_url);
  };
  /** Paid at Stripe, its webhooks kept back until `deliver`. */
  const payQuietly = (sessionId: string) => {
    h.sim.control.webhookBehaviour({ hold: true });
    expect(h.sim.control.payCheckoutSession(sessionId, { number: '4242424242424242' }).kind).not.toBe(
      'failed',
    );
    h.sim.control.webhookBehaviour({ hold: false });
  };
  const deliver = async () => {
    await h.sim.control.releaseWebhooks();
    await h.settle();
  };
  /** Someone else books the same time at the desk (an expired hold in the way is purged). */
  const sellToSomeoneElse = (held: CheckoutHold) =>
    book(h.t, h.w.tokens.staffA, held.simulator_id, held.start_time, held.duration, {
      email: `walk-up-${held.id.slice(0, 8)}@example.test`,
    });

  it('expires the Checkout Session at Stripe, with a key of our ids, and frees the time', async () => {
    const held = await hold();
    const sessionId = await checkoutOf(held);
    await expireHold(h, held.id);
    expect(await h.t.app.services.checkoutExpiry.sweep()).toMatchObject({ expired: 1 });
    expect(h.sim.store.checkoutSessions.require(sessionId).status).toBe('expired');
    const keys = h.sim.control
      .requests({ method: 'POST', path: `/v1/checkout/sessions/${sessionId}/expire` })
      .map((r) => r.headers['idempotency-key']);
    expect(keys).toContain(`expire:${held.id}:1`);
    const { row } = await confirmationTraces(h, held.id);
    expect(row).toMatchObject({ status: 'expired', cancellationReason: HOLD_RAN_OUT });
    expect((await sellToSomeoneElse(held)).status).toBe('confirmed');
    const back = await returnFrom(h, `booking_id=${held.id}`);
    expect(back.json()).toMatchObject({ state: 'expired', message: HOLD_RAN_OUT });
  });

  it('keeps the hold while Stripe cannot expire its session, and gives it up once it can', async () => {
    const held = await hold();
    const sessionId = await checkoutOf(held);
    await expireHold(h, held.id);
    h.sim.control.fault({ kind: 'server_error', count: 4 });
    expect(await h.t.app.services.checkoutExpiry.sweep()).toMatchObject({ expired: 0, kept: 1 });
    h.sim.control.clearFaults();
    expect((await confirmationTraces(h, held.id)).row?.status).toBe('pending');
    expect(h.sim.store.checkoutSessions.require(sessionId).status).toBe('open');
    expect(await h.t.app.services.checkoutExpiry.sweep()).toMatchObject({ expired: 1 });
  });

  it('leaves a session that was paid meanwhile to its payment, which confirms the booking', async () => {
    const held = await hold();
    payQuietly(await checkoutOf(held));
    await expireHold(h, held.id);
    expect(await h.t.app.services.checkoutExpiry.sweep()).toMatchObject({ expired: 0, kept: 1 });
    await deliver();
    expect((await confirmationTraces(h, held.id)).row).toMatchObject({
      status: 'confirmed',
      paymentStatus: 'paid',
    });
  });

  it('confirms a payment that came after the hold expired while the time is still free', async () => {
    const held = await hold();
    payQuietly(await checkoutOf(held));
    await expireHold(h, held.id, 'expired');
    await deliver();
    const traces = await confirmationTraces(h, held.id);
    expect(traces.row).toMatchObject({ status: 'confirmed', paymentStatus: 'paid' });
    expect(traces).toMatchObject({ tokens: 2, feed: 1 });
    expect(await repo.refundsOf(held.id)).toEqual([]);
  });

  it('refunds in full, and says why, a payment for time sold after its hold expired', async () => {
    const held = await hold();
    payQuietly(await checkoutOf(held));
    await expireHold(h, held.id, 'expired');
    await sellToSomeoneElse(held);
    await deliver();
    const [refund] = await repo.refundsOf(held.id);
    expect(refund).toMatchObject({
      amountCents: held.price_cents,
      status: 'succeeded',
      reason: SOLD_WHILE_PAYING,
      actor: 'system',
    });
    const traces = await confirmationTraces(h, held.id);
    expect(traces.row).toMatchObject({
      status: 'expired',
      paymentStatus: 'refunded',
      cancellationReason: SOLD_WHILE_PAYING,
    });
    expect(traces).toMatchObject({ tokens: 0, feed: 0 });
    const mine = await h.t.request({
      method: 'GET',
      url: `/api/v1/bookings/${held.id}`,
      token: h.w.tokens.customer,
    });
    expect(mine.json()).toMatchObject({ cancellation_reason: SOLD_WHILE_PAYING, payment_status: 'refunded' });
  });

  it('refunds a payment whose hold was deleted for the next booking, and tells the payer on return', async () => {
    const held = await hold();
    const sessionId = await checkoutOf(held);
    payQuietly(sessionId);
    await expireHold(h, held.id);
    await sellToSomeoneElse(held); // purges the expired hold
    expect((await confirmationTraces(h, held.id)).row).toBeUndefined();
    const back = await returnFrom(h, `session_id=${sessionId}`);
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ state: 'refunded', message: SOLD_WHILE_PAYING, booking: null });
    await deliver();
    const refunds = await repo.refundsOf(held.id);
    expect(refunds.map((r) => [r.amountCents, r.status])).toEqual([[held.price_cents, 'succeeded']]);
  });

  it('refunds on the next sweep a late payment whose refund never left (a crash after its commit)', async () => {
    const held = await hold();
    payQuietly(await checkoutOf(held));
    await expireHold(h, held.id, 'expired');
    await sellToSomeoneElse(held);
    const crash = vi.spyOn(h.t.app.services.bookingCheckout, 'afterApplied').mockResolvedValue(undefined);
    try {
      await deliver();
    } finally {
      crash.mockRestore();
    }
    expect(await repo.refundsOf(held.id)).toEqual([]);
    expect((await confirmationTraces(h, held.id)).row?.paymentStatus).toBe('refund_due');
    expect(await h.t.app.services.checkoutExpiry.sweep()).toMatchObject({ refundsRetried: 1 });
    await h.settle();
    const refunds = await repo.refundsOf(held.id);
    expect(refunds.map((r) => [r.amountCents, r.status, r.reason])).toEqual([
      [held.price_cents, 'succeeded', SOLD_WHILE_PAYING],
    ]);
    expect(await h.t.app.services.checkoutExpiry.sweep()).toMatchObject({ refundsRetried: 0 });
  });

  it('answers the return page even when Stripe refuses the refund; the next event of the booking asks again', async () => {
    const held = await hold();
    const sessionId = await checkoutOf(held);
    payQuietly(sessionId);
    await expireHold(h, held.id, 'expired');
    await sellToSomeoneElse(held);
    h.sim.control.fault({ kind: 'rate_limit', count: 1, match: { path: '/v1/refunds' } });
    const back = await returnFrom(h, `session_id=${sessionId}`);
    h.sim.control.clearFaults();
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ state: 'refunded', message: SOLD_WHILE_PAYING });
    await deliver();
    const mine = (await storedEvents(h)).filter((e) => e.appliedAt === null);
    expect(mine).toEqual([]);
    expect((await repo.refundsOf(held.id)).map((r) => r.status)).toEqual(['failed', 'succeeded']);
    expect((await confirmationTraces(h, held.id)).row?.paymentStatus).toBe('refunded');
    expect(await h.t.app.services.checkoutExpiry.sweep()).toMatchObject({ refundsRetried: 0 });
  });

  it('answers 503 and keeps the hold when Stripe fails or times out at checkout', async () => {
    for (const fault of [
      { kind: 'server_error', count: 2 },
      { kind: 'timeout', count: 2 },
    ] as const) {
      const held = await hold();
      h.sim.control.fault(fault);
      const res = await confirmHoldRequest(h, held);
      h.sim.control.clearFaults();
      expect(res.statusCode, res.body).toBe(503);
      expect(res.json().error).toMatchObject({ code: 'NOT_READY' });
      expect(res.json().error.message).toMatch(/nothing was charged/);
      const { row } = await confirmationTraces(h, held.id);
      expect(row?.status).toBe('pending');
      expect(row?.holdExpiresAt?.getTime()).toBeGreaterThan(Date.now());
      expect(row?.accessCode).toBeNull();
      // Back up: the same hold checks out.
      expect(await checkoutOf(held)).toMatch(/^cs_test_/);
    }
  }, 60_000);

  it('does not confirm on the return page while Stripe cannot say it was paid', async () => {
    const held = await hold();
    const sessionId = await checkoutOf(held);
    payQuietly(sessionId);
    h.sim.control.fault({ kind: 'down', count: 4 });
    const back = await returnFrom(h, `session_id=${sessionId}`);
    h.sim.control.clearFaults();
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ state: 'awaiting_payment', booking: { status: 'pending' } });
    expect(back.json().message).toMatch(/could not reach the payment provider.*held until/);
    expect((await confirmationTraces(h, held.id)).row?.accessCode).toBeNull();
    await deliver();
    expect((await returnFrom(h, `session_id=${sessionId}`)).json().state).toBe('confirmed');
  });
});
