import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BookingRepository } from '../bookings/booking.repository.js';
import {
  confirmationTraces,
  confirmHoldRequest,
  returnFrom,
  sessionIdOf,
  setPolicy,
} from '../testing/checkout.js';
import { book, hoursFromNow, SETUP_TIMEOUT_MS } from '../testing/ops-world.js';
import { type CheckoutHold, holdFor, type StripeHarness, startStripeHarness } from '../testing/stripe.js';
import { testDatabases } from '../testing/test-app.js';
import { PaymentsRepository } from './payments.repository.js';

describe.each(testDatabases())('a booking confirmed by its payment on %s', (kind) => {
  let h: StripeHarness;
  let repo: PaymentsRepository;
  let slot = 40;
  beforeAll(async () => {
    h = await startStripeHarness(kind);
    repo = new PaymentsRepository(h.t.app.db);
    await setPolicy(h, h.w.facilityA, { mode: 'full' });
    await setPolicy(h, h.w.facilityB, { mode: 'deposit', deposit_bps: 2500 });
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => h?.close());

  const hold = async (bay: string) => holdFor(h, bay, slot++);
  /** Confirms the hold: the answer is the pending hold and where to pay. */
  const checkoutOf = async (held: CheckoutHold) => {
    const res = await confirmHoldRequest(h, held);
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ id: held.id, status: 'pending', access_code: null, qr_code: null });
    expect(body.checkout_url).toMatch(/\/c\/pay\/cs_test_/);
    return sessionIdOf(body.checkout_url);
  };
  const pay = (sessionId: string, number = '4242424242424242') => {
    const outcome = h.sim.control.payCheckoutSession(sessionId, { number });
    return outcome;
  };

  it('starts a checkout instead of confirming, and the webhook confirms it paid in full', async () => {
    const held = await hold(h.w.bayA1);
    const sessionId = await checkoutOf(held);
    expect((await confirmationTraces(h, held.id)).row?.status).toBe('pending');
    pay(sessionId);
    await h.settle();
    const traces = await confirmationTraces(h, held.id);
    expect(traces.row).toMatchObject({ status: 'confirmed', paymentStatus: 'paid', holdExpiresAt: null });
    expect(traces.row?.accessCode).toMatch(/^\d{6}$/);
    expect(traces).toMatchObject({ tokens: 2, feed: 1, crm: 1 });
  });

  it('tells the edge streams again once the confirmation is committed', async () => {
    const held = await hold(h.w.bayA2);
    const sessionId = await checkoutOf(held);
    const bookings = new BookingRepository(h.t.app.db);
    // What a stream woken by each notification would read. On PostgreSQL that is another connection,
    // which does not see the confirmation before its commit; PGlite's one connection always waits.
    const readAtNotice: Promise<string | undefined>[] = [];
    const stop = h.t.app.services.changeLog.onAppend((facilityId) => {
      if (facilityId === h.w.facilityA) readAtNotice.push(bookings.findById(held.id).then((r) => r?.status));
    });
    try {
      pay(sessionId);
      await h.settle();
    } finally {
      stop();
    }
    expect((await Promise.all(readAtNotice)).at(-1)).toBe('confirmed');
  });

  it('says deposit_paid when the facility asks a deposit', async () => {
    const held = await hold(h.w.bayB1);
    pay(await checkoutOf(held));
    await h.settle();
    const { row } = await confirmationTraces(h, held.id);
    expect(row).toMatchObject({ status: 'confirmed', paymentStatus: 'deposit_paid' });
    const [payment] = await repo.paymentsOf(held.id);
    expect(payment?.amountCents).toBe(Math.round(held.price_cents / 4));
  });

  it('confirms on the return page when the webhook is late, and the webhook then changes nothing', async () => {
    const held = await hold(h.w.bayA2);
    const sessionId = await checkoutOf(held);
    h.sim.control.webhookBehaviour({ hold: true });
    pay(sessionId);
    const res = await returnFrom(h, `session_id=${sessionId}`);
    expect(res.statusCode, res.body).toBe(200);
    const back = res.json();
    expect(back).toMatchObject({
      state: 'confirmed',
      booking: { status: 'confirmed', payment_status: 'paid' },
    });
    expect(back.booking.access_code).toMatch(/^\d{6}$/);
    expect(back.booking.qr_code).toEqual(expect.any(String));
    h.sim.control.webhookBehaviour({ hold: false });
    await h.sim.control.releaseWebhooks();
    await h.settle();
    const traces = await confirmationTraces(h, held.id);
    expect(traces).toMatchObject({ tokens: 2, feed: 1, crm: 1 });
    expect(traces.row?.accessCode).toBe(back.booking.access_code);
  });

  it('confirms exactly once when the webhook and the return page come at the same time', async () => {
    for (let round = 0; round < 3; round++) {
      const held = await hold(round % 2 === 0 ? h.w.bayA1 : h.w.bayA2);
      const sessionId = await checkoutOf(held);
      h.sim.control.webhookBehaviour({ hold: true, duplicate: true });
      pay(sessionId);
      h.sim.control.webhookBehaviour({ hold: false, duplicate: false });
      const [, ...answers] = await Promise.all([
        h.sim.control.releaseWebhooks(),
        returnFrom(h, `session_id=${sessionId}`),
        returnFrom(h, `session_id=${sessionId}`),
      ]);
      await h.settle();
      for (const res of answers) expect(res.json().state, res.body).toBe('confirmed');
      const traces = await confirmationTraces(h, held.id);
      expect(traces).toMatchObject({ tokens: 2, feed: 1, crm: 1 });
      expect(traces.row).toMatchObject({ status: 'confirmed', paymentStatus: 'paid' });
    }
  });

  it('keeps the hold when the card is declined, and says so on the way back', async () => {
    const held = await hold(h.w.bayA1);
    const sessionId = await checkoutOf(held);
    expect(pay(sessionId, '4000000000000002')).toMatchObject({ kind: 'failed' });
    await h.settle();
    const res = await returnFrom(h, `booking_id=${held.id}`);
    expect(res.json()).toMatchObject({
      state: 'awaiting_payment',
      booking: { status: 'pending', access_code: null },
      checkout_url: expect.stringContaining(sessionId),
    });
    expect(res.json().message).toMatch(/nothing was charged.*held until/);
  });

  it('confirms at once, unpaid, where the facility is paid at the venue', async () => {
    await setPolicy(h, h.w.facilityB, { mode: 'at_venue' });
    try {
      const held = await hold(h.w.bayB1);
      const res = await confirmHoldRequest(h, held);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ status: 'confirmed', payment_status: 'unpaid' });
      expect(res.json().checkout_url).toBeUndefined();
      expect(await repo.paymentsOf(held.id)).toEqual([]);
      const direct = await book(h.t, h.w.tokens.customer, h.w.bayB1, hoursFromNow(slot++));
      expect(direct.status).toBe('confirmed');
    } finally {
      await setPolicy(h, h.w.facilityB, { mode: 'deposit', deposit_bps: 2500 });
    }
  });

  it('turns a web booking at a paying facility into a hold and a checkout', async () => {
    const res = await h.t.request({
      method: 'POST',
      url: '/api/v1/bookings',
      token: h.w.tokens.customer,
      payload: { simulator_id: h.w.bayA2, start_time: hoursFromNow(slot++), duration: 60 },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'pending', access_code: null });
    expect(res.json().hold_expires_at).not.toBeNull();
    expect(res.json().checkout_url).toMatch(/cs_test_/);
  });
});
