import { ledgerTotals } from '@clubos/shared/payments';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETUP_TIMEOUT_MS } from '../testing/ops-world.js';
import { paidBooking, setPaymentPolicy } from '../testing/paid-bookings.js';
import { detachSavedCards, saveCardFor } from '../testing/saved-cards.js';
import { type StripeHarness, startStripeHarness } from '../testing/stripe.js';
import { testDatabases } from '../testing/test-app.js';
import { PaymentsRepository } from './payments.repository.js';

describe.each(testDatabases())("a dearer move charged on the customer's saved card on %s", (kind) => {
  let h: StripeHarness;
  let repo: PaymentsRepository;
  let slot = 80;
  const next = () => {
    slot += 3;
    return slot;
  };
  beforeAll(async () => {
    h = await startStripeHarness(kind);
    repo = new PaymentsRepository(h.t.app.db);
    await setPaymentPolicy(h, h.w.facilityA, {
      mode: 'full',
      no_show_fee_cents: 1000,
      card_on_file_required: true,
    });
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => h?.close());

  const longer = async (id: string, startTime: string) => {
    const res = await h.t.request({
      method: 'POST',
      url: `/api/v1/bookings/${id}/reschedule`,
      token: h.w.tokens.customer,
      payload: { start_time: startTime, duration: 120, return_url: 'http://site.test/bookings' },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().balance_due;
  };
  const paidOf = async (id: string) => ledgerTotals(await repo.ledgerOf(h.t.app.db, id)).paidCents;

  it('charges the difference off session on the saved card, keyed by our ids, with no Checkout page', async () => {
    await saveCardFor(h, h.w.tokens.customer, h.w.facilityA, '4242424242424242');
    const paid = await paidBooking(h, h.w.bayA1, next());
    const sessionsBefore = h.sim.store.checkoutSessions.all().length;
    const due = await longer(paid.id, paid.start_time);
    expect(due).toMatchObject({
      amount_cents: paid.price_cents,
      checkout_url: null,
      paid_on_saved_card: true,
    });
    expect(h.sim.store.checkoutSessions.all()).toHaveLength(sessionsBefore);
    await h.settle();
    expect(await paidOf(paid.id)).toBe(2 * paid.price_cents);
    const intents = h.sim.store.paymentIntents
      .all()
      .filter((pi) => pi.metadata.clubos_booking_id === paid.id);
    expect(intents.map((pi) => [pi.amount, pi.status])).toEqual([
      [paid.price_cents, 'succeeded'],
      [paid.price_cents, 'succeeded'],
    ]);
    const keys = h.sim.control
      .requests({ method: 'POST', path: '/v1/payment_intents' })
      .map((r) => r.headers['idempotency-key']);
    expect(keys).toContain(`reschedule-card:${paid.id}:2`);
  });

  it('falls back to the Checkout link when the saved card is declined, and staff see the failed charge', async () => {
    await detachSavedCards(h);
    await saveCardFor(h, h.w.tokens.customer, h.w.facilityA, '4000000000000341');
    const paid = await paidBooking(h, h.w.bayA2, next());
    const due = await longer(paid.id, paid.start_time);
    expect(due).toMatchObject({ amount_cents: paid.price_cents, paid_on_saved_card: false });
    expect(due.saved_card_error).toMatch(/declined/i);
    expect(due.checkout_url).toMatch(/\/c\/pay\/cs_/);
    const staffView = await h.t.request({
      method: 'GET',
      url: `/api/v1/admin/bookings/${paid.id}/payments`,
      token: h.w.tokens.staffA,
    });
    expect(staffView.statusCode, staffView.body).toBe(200);
    expect(staffView.json().payments).toContainEqual(
      expect.objectContaining({ amount_cents: paid.price_cents, status: 'failed' }),
    );
    // The link still takes the difference.
    h.sim.control.payCheckoutSession(due.checkout_url.split('/').pop(), { number: '4242424242424242' });
    await h.settle();
    expect(await paidOf(paid.id)).toBe(2 * paid.price_cents);
  });
});
