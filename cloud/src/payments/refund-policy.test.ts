import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookings } from '../db/schema/bookings.schema.js';
import { refundOutbox, refundOverrides } from '../db/schema/payment-refunds.schema.js';
import { book, hoursFromNow, SETUP_TIMEOUT_MS } from '../testing/ops-world.js';
import { paidBooking, setPaymentPolicy, settleRefunds } from '../testing/paid-bookings.js';
import { type StripeHarness, startStripeHarness } from '../testing/stripe.js';
import { testDatabases } from '../testing/test-app.js';
import { PaymentsRepository } from './payments.repository.js';
import { RefundOutboxRepository } from './refund-outbox.repository.js';
import { RefundOutboxWorker } from './refund-outbox.worker.js';

describe.each(testDatabases())('cancellation refunds through Stripe on %s', (kind) => {
  let h: StripeHarness;
  let repo: PaymentsRepository;
  // Hours ahead: from 48 on, a cancellation is free (the default policy: free until 24 h before).
  let far = 48;
  let near = 3;
  beforeAll(async () => {
    h = await startStripeHarness(kind);
    repo = new PaymentsRepository(h.t.app.db);
    await setPaymentPolicy(h, h.w.facilityA, { mode: 'full' });
    await setPaymentPolicy(h, h.w.facilityB, { mode: 'deposit', deposit_bps: 2500 });
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => h?.close());

  const cancel = (id: string, token: string, payload: Record<string, unknown> = {}) =>
    h.t.request({ method: 'POST', url: `/api/v1/bookings/${id}/cancel`, token, payload });
  const preview = (id: string, token = h.w.tokens.customer) =>
    h.t.request({ method: 'GET', url: `/api/v1/bookings/${id}/cancellation-preview`, token });
  const paymentStatusOf = async (id: string) =>
    (await h.t.app.db.select().from(bookings).where(eq(bookings.id, id)))[0]?.paymentStatus;
  const stripeRefundsOf = (intentId: string) =>
    h.sim.store.refunds.all().filter((r) => r.payment_intent === intentId);

  it('refunds a free cancellation in full to the card, the amount the preview showed', async () => {
    const paid = await paidBooking(h, h.w.bayA1, far++);
    const shown = await preview(paid.id);
    expect(shown.statusCode, shown.body).toBe(200);
    expect(shown.json()).toMatchObject({ refund_cents: paid.price_cents, via: 'card', rule: 'free' });

    const res = await cancel(paid.id, h.w.tokens.customer, { reason: 'rain' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ refund_cents: paid.price_cents, refund_via: 'card' });
    expect(res.json().refunds).toEqual([
      expect.objectContaining({ amount_cents: paid.price_cents, status: 'pending' }),
    ]);
    await settleRefunds(h);
    const [refund] = await repo.refundsOf(paid.id);
    expect(refund).toMatchObject({ status: 'succeeded', amountCents: paid.price_cents, seq: 1 });
    expect(stripeRefundsOf(paid.intentId).map((r) => r.amount)).toEqual([paid.price_cents]);
    const keys = h.sim.control
      .requests({ method: 'POST', path: '/v1/refunds' })
      .map((r) => r.headers['idempotency-key']);
    expect(keys).toContain(`refund:${paid.id}:1`);
    expect(await paymentStatusOf(paid.id)).toBe('refunded');
  });

  it("refunds the policy's share of a late cancellation, partially", async () => {
    const paid = await paidBooking(h, h.w.bayA2, near++);
    const shown = (await preview(paid.id)).json();
    expect(shown).toMatchObject({ rule: 'late', refund_percent: 50 });
    const half = Math.floor(paid.price_cents / 2);
    expect(shown.refund_cents).toBe(half);
    const res = await cancel(paid.id, h.w.tokens.customer);
    expect(res.json().refund_cents).toBe(half);
    await settleRefunds(h);
    expect(stripeRefundsOf(paid.intentId).map((r) => r.amount)).toEqual([half]);
    // The refund the policy gave has paid out: nothing is due any more, though it was partial.
    expect(await paymentStatusOf(paid.id)).toBe('refunded');
  });

  it("gives a deposit back by the policy's share of what was paid, never the price", async () => {
    const paid = await paidBooking(h, h.w.bayB1, near++);
    const deposit = Math.round(paid.price_cents / 4);
    const shown = (await preview(paid.id)).json();
    expect(shown).toMatchObject({ via: 'card', refund_cents: Math.floor(deposit / 2) });
    const res = await cancel(paid.id, h.w.tokens.customer);
    expect(res.json().refund_cents).toBe(Math.floor(deposit / 2));
    await settleRefunds(h);
    expect(stripeRefundsOf(paid.intentId).map((r) => r.amount)).toEqual([Math.floor(deposit / 2)]);
  });

  it('keeps the cancellation when Stripe is down and sends the refund from its outbox row later', async () => {
    const paid = await paidBooking(h, h.w.bayA1, far++);
    h.sim.control.fault({ kind: 'server_error', count: 2, match: { path: '/v1/refunds' } });
    const res = await cancel(paid.id, h.w.tokens.customer);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().booking.status).toBe('cancelled');
    await settleRefunds(h);
    const [refund] = await repo.refundsOf(paid.id);
    expect(refund?.status).toBe('pending');
    const [queued] = await h.t.app.db
      .select()
      .from(refundOutbox)
      .where(eq(refundOutbox.refundId, refund!.id));
    expect(queued).toMatchObject({ attempts: 1, sentAt: null });
    expect(queued!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    expect(stripeRefundsOf(paid.intentId)).toEqual([]);
    expect(await paymentStatusOf(paid.id)).toBe('refund_due');

    // Not due yet: nothing is sent. Then a worker with nothing in memory (as after a restart) sends it.
    const worker = new RefundOutboxWorker(new RefundOutboxRepository(h.t.app.db), h.t.app.services.payments);
    const notDue = (await new RefundOutboxRepository(h.t.app.db).due(new Date(), 100)).map((r) => r.refundId);
    expect(notDue).not.toContain(refund!.id);
    expect(await worker.retryDue(new Date(Date.now() + 3_600_000))).toBeGreaterThanOrEqual(1);
    await h.settle();
    expect((await repo.findRefund(refund!.id))?.status).toBe('succeeded');
    expect(stripeRefundsOf(paid.intentId).map((r) => r.amount)).toEqual([paid.price_cents]);
    expect(await paymentStatusOf(paid.id)).toBe('refunded');
    const [sent] = await h.t.app.db.select().from(refundOutbox).where(eq(refundOutbox.refundId, refund!.id));
    expect(sent?.sentAt).not.toBeNull();
    // A second pass finds nothing left to send: one refund at Stripe, not two.
    await worker.retryDue(new Date(Date.now() + 7_200_000));
    expect(stripeRefundsOf(paid.intentId)).toHaveLength(1);
  });

  it('lets staff refund another amount with a reason, audited with who and the policy figure', async () => {
    const paid = await paidBooking(h, h.w.bayA2, near++);
    const res = await cancel(paid.id, h.w.tokens.staffA, { refund_cents: 700, reason: 'bay broke down' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().refund_cents).toBe(700);
    await settleRefunds(h);
    expect(stripeRefundsOf(paid.intentId).map((r) => r.amount)).toEqual([700]);
    expect(await paymentStatusOf(paid.id)).toBe('refunded');
    const audit = await h.t.app.db
      .select()
      .from(refundOverrides)
      .where(eq(refundOverrides.bookingId, paid.id));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      amountCents: 700,
      policyCents: Math.floor(paid.price_cents / 2),
      reason: 'bay broke down',
    });
    expect(audit[0]!.actorUserId).toMatch(/^[0-9a-f-]{36}$/);
    expect(audit[0]!.createdAt).toBeInstanceOf(Date);
    const [refund] = await repo.refundsOf(paid.id);
    expect(refund?.actor).toBe(`user:${audit[0]!.actorUserId}`);
  });

  it('refuses an override from a customer, without a reason, or above what was paid, changing nothing', async () => {
    const paid = await paidBooking(h, h.w.bayA1, far++);
    const asCustomer = await cancel(paid.id, h.w.tokens.customer, { refund_cents: 1, reason: 'x' });
    expect(asCustomer.statusCode).toBe(403);
    const noReason = await cancel(paid.id, h.w.tokens.staffA, { refund_cents: 100 });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('reason');
    const tooMuch = await cancel(paid.id, h.w.tokens.staffA, {
      refund_cents: paid.price_cents + 1,
      reason: 'generous',
    });
    expect(tooMuch.statusCode).toBe(400);
    expect(tooMuch.body).toContain('refund_cents');
    const otherVenue = await cancel(paid.id, h.w.tokens.staffB, { refund_cents: 100, reason: 'x' });
    expect(otherVenue.statusCode).toBeGreaterThanOrEqual(403);
    const after = await h.t.request({
      method: 'GET',
      url: `/api/v1/bookings/${paid.id}`,
      token: h.w.tokens.customer,
    });
    expect(after.json().status).toBe('confirmed');
    expect(await repo.refundsOf(paid.id)).toEqual([]);
    expect(
      await h.t.app.db.select().from(refundOverrides).where(eq(refundOverrides.bookingId, paid.id)),
    ).toEqual([]);
  });

  it("shows a guest's manage view the card refund of a deposit, and refunds that through the manage link", async () => {
    const paid = await paidBooking(h, h.w.bayB1, far++);
    const booking = (
      await h.t.request({ method: 'GET', url: `/api/v1/bookings/${paid.id}`, token: h.w.tokens.customer })
    ).json();
    const lookup = await h.t.request({
      method: 'POST',
      url: '/api/v1/bookings/lookup',
      payload: { reference_code: booking.reference_code, pin: booking.access_code },
    });
    expect(lookup.statusCode, lookup.body).toBe(200);
    const deposit = Math.round(paid.price_cents / 4);
    expect(lookup.json().cancellation).toMatchObject({ refund_cents: deposit, via: 'card', rule: 'free' });
    const res = await h.t.app.inject({
      method: 'POST',
      url: `/api/v1/bookings/${paid.id}/manage/cancel`,
      headers: { 'x-manage-token': lookup.json().manage_token },
      payload: {},
    });
    expect(res.statusCode, res.body).toBe(200);
    await settleRefunds(h);
    expect(stripeRefundsOf(paid.intentId).map((r) => r.amount)).toEqual([deposit]);
    expect(await paymentStatusOf(paid.id)).toBe('refunded');
  });

  it('sends nothing to Stripe when the refund is waived', async () => {
    const paid = await paidBooking(h, h.w.bayA1, far++);
    const res = await cancel(paid.id, h.w.tokens.customer, { refund: false });
    expect(res.json()).toMatchObject({ refund_cents: 0, refunds: [] });
    await settleRefunds(h);
    expect(stripeRefundsOf(paid.intentId)).toEqual([]);
  });

  it('leaves an unpaid booking’s refund to the venue, with nothing sent to Stripe', async () => {
    // Booked at the desk (confirmed at once, paid at the venue), whatever the facility's online policy.
    const booked = await book(h.t, h.w.tokens.staffA, h.w.bayA2, hoursFromNow(far++), 60, {
      email: 'desk.guest@example.com',
    });
    expect((await preview(booked.id, h.w.tokens.staffA)).json()).toMatchObject({
      via: 'venue',
      refund_cents: booked.price_cents,
    });
    const res = await cancel(booked.id, h.w.tokens.staffA);
    expect(res.json()).toMatchObject({ refund_via: 'venue', refund_cents: booked.price_cents, refunds: [] });
    expect(await repo.refundsOf(booked.id)).toEqual([]);
    // Owed at the venue: no card refund will ever settle it here.
    expect(await paymentStatusOf(booked.id)).toBe('refund_due');
  });
});
