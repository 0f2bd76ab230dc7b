import { ledgerTotals } from '@clubos/shared/payments';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { book, hoursFromNow, SETUP_TIMEOUT_MS } from '../testing/ops-world.js';
import { paidBooking, setPaymentPolicy, settleRefunds } from '../testing/paid-bookings.js';
import { type StripeHarness, startStripeHarness } from '../testing/stripe.js';
import { testDatabases } from '../testing/test-app.js';
import { PaymentsRepository } from './payments.repository.js';

describe.each(testDatabases())('a paid booking moved pays or gets back the difference on %s', (kind) => {
  let h: StripeHarness;
  let repo: PaymentsRepository;
  // Two-hour steps: a booking may grow to two hours without meeting the next test's slot.
  let slot = 60;
  const next = () => {
    slot += 3;
    return slot;
  };
  beforeAll(async () => {
    h = await startStripeHarness(kind);
    repo = new PaymentsRepository(h.t.app.db);
    await setPaymentPolicy(h, h.w.facilityA, { mode: 'full' });
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => h?.close());

  const reschedule = (id: string, startTime: string, duration: number, token = h.w.tokens.customer) =>
    h.t.request({
      method: 'POST',
      url: `/api/v1/bookings/${id}/reschedule`,
      token,
      payload: { start_time: startTime, duration, return_url: 'http://site.test/bookings' },
    });
  const netPaid = async (id: string) => ledgerTotals(await repo.ledgerOf(h.t.app.db, id));

  it('asks the difference of a dearer slot on a Checkout page, then refunds it when moved back', async () => {
    const paid = await paidBooking(h, h.w.bayA1, next());
    const longer = await reschedule(paid.id, paid.start_time, 120);
    expect(longer.statusCode, longer.body).toBe(200);
    const due = longer.json().balance_due;
    expect(due).toMatchObject({ amount_cents: paid.price_cents, currency: 'usd' });
    const session = h.sim.store.checkoutSessions.require(due.checkout_url.split('/').pop());
    expect(session.amount_total).toBe(paid.price_cents);
    expect(session.success_url).toBe('http://site.test/bookings');
    h.sim.control.payCheckoutSession(session.id, { number: '4242424242424242' });
    await h.settle();
    expect(await netPaid(paid.id)).toMatchObject({
      paidCents: 2 * paid.price_cents,
      netCents: 2 * paid.price_cents,
    });

    const shorter = await reschedule(paid.id, paid.start_time, 60);
    expect(shorter.statusCode, shorter.body).toBe(200);
    expect(shorter.json().balance_due).toBeUndefined();
    await settleRefunds(h);
    const refunds = await repo.refundsOf(paid.id);
    expect(refunds.map((r) => [r.amountCents, r.status])).toEqual([[paid.price_cents, 'succeeded']]);
    expect(refunds[0]?.reason).toContain('rescheduled');
    expect(await netPaid(paid.id)).toMatchObject({ netCents: paid.price_cents });
  });

  it('keeps the move when Stripe is down, and says the difference is owed without a link', async () => {
    const paid = await paidBooking(h, h.w.bayA2, next());
    h.sim.control.fault({ kind: 'server_error', count: 2, match: { path: '/v1/checkout/sessions' } });
    const longer = await reschedule(paid.id, paid.start_time, 120);
    h.sim.control.clearFaults();
    expect(longer.statusCode, longer.body).toBe(200);
    expect(longer.json()).toMatchObject({
      duration: 120,
      balance_due: { amount_cents: paid.price_cents, checkout_url: null },
    });
  });

  it('moves a booking paid at the venue with no money through Stripe', async () => {
    // Booked at the desk: confirmed at once, paid at the venue.
    const booked = await book(h.t, h.w.tokens.staffA, h.w.bayA2, hoursFromNow(next()), 60, {
      email: 'desk.mover@example.com',
    });
    const longer = await reschedule(booked.id, booked.start_time, 120, h.w.tokens.staffA);
    expect(longer.statusCode, longer.body).toBe(200);
    expect(longer.json().balance_due).toBeUndefined();
    expect(await repo.paymentsOf(booked.id)).toEqual([]);
  });
});
