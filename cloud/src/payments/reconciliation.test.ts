import { localDateOf } from '@clubos/shared/time';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { payments } from '../db/schema/payments.schema.js';
import { SETUP_TIMEOUT_MS } from '../testing/ops-world.js';
import { type PaidBooking, payHold, setPaymentPolicy } from '../testing/paid-bookings.js';
import { type StripeHarness, startStripeHarness } from '../testing/stripe.js';
import { testDatabases } from '../testing/test-app.js';
import { ReconciliationRepository } from './reconciliation.repository.js';
import { ReconciliationService } from './reconciliation.service.js';

describe.each(testDatabases())('nightly payments reconciliation on %s', (kind) => {
  let h: StripeHarness;
  let booked: PaidBooking[];
  const today = () => localDateOf(Date.now(), 'UTC');
  const warn = vi.fn();
  let service: ReconciliationService;
  beforeAll(async () => {
    h = await startStripeHarness(kind);
    await setPaymentPolicy(h, h.w.facilityA);
    booked = [
      await payHold(h, h.w.bayA1, 30),
      await payHold(h, h.w.bayA2, 31),
      await payHold(h, h.w.bayA1, 32),
      // A declined card: failed at us, waiting for another card at Stripe — the same thing.
      await payHold(h, h.w.bayA2, 33, '4000000000000002'),
    ];
    await h.t.app.services.payments.refund(booked[0]!.bookingId, 700, 'goodwill', 'user:staff');
    await h.settle();
    service = new ReconciliationService(
      new ReconciliationRepository(h.t.app.db),
      h.t.app.services.stripe,
      warn,
    );
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => h?.close());

  const run = (token = h.w.tokens.admin, date = today()) =>
    h.t.request({
      method: 'POST',
      url: '/api/v1/admin/payments/reconciliation/run',
      token,
      payload: { date },
    });

  it('reports a clean day as an empty report, readable afterwards', async () => {
    const res = await run();
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      date: today(),
      stripe_payments: 4,
      stripe_refunds: 1,
      differences: [],
    });
    const latest = await h.t.request({
      method: 'GET',
      url: '/api/v1/admin/payments/reconciliation',
      token: h.w.tokens.admin,
    });
    expect(latest.json()).toMatchObject({ date: today(), differences: [] });
  });

  it('reports every kind of difference, stores them and logs each at warn', async () => {
    const stripe = h.t.app.services.stripe!;
    // Made on Stripe directly, and their webhooks never arrive.
    h.sim.control.webhookBehaviour({ drop: true });
    const directRefund = await stripe.refunds.create({ payment_intent: booked[1]!.intentId, amount: 400 });
    const directIntent = await stripe.paymentIntents.create({
      amount: 1234,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
    });
    h.sim.control.webhookBehaviour({ drop: false });
    // Our rows altered: an amount, a status, and an intent Stripe never had.
    const db = h.t.app.db;
    await db
      .update(payments)
      .set({ amountCents: booked[1]!.paidCents - 100 })
      .where(eq(payments.id, booked[1]!.paymentId));
    await db.update(payments).set({ status: 'canceled' }).where(eq(payments.id, booked[2]!.paymentId));
    await db
      .update(payments)
      .set({ providerPaymentId: 'pi_never_at_stripe' })
      .where(eq(payments.id, booked[3]!.paymentId));

    const report = await service.run(today());
    const found = report.differences.map((d) => [d.object, d.kind, d.provider_id]);
    expect(found).toEqual(
      expect.arrayContaining([
        ['refund', 'missing_at_us', directRefund.id],
        ['payment', 'missing_at_us', directIntent.id],
        ['payment', 'amount_differs', booked[1]!.intentId],
        ['payment', 'status_differs', booked[2]!.intentId],
        ['payment', 'missing_at_stripe', 'pi_never_at_stripe'],
        // The declined intent is now Stripe's alone: our row points elsewhere.
        ['payment', 'missing_at_us', booked[3]!.intentId],
      ]),
    );
    expect(found).toHaveLength(6);
    expect(report.differences.find((d) => d.kind === 'amount_differs')).toMatchObject({
      our_id: booked[1]!.paymentId,
      booking_id: booked[1]!.bookingId,
      ours: { amount_cents: booked[1]!.paidCents - 100, status: 'succeeded' },
      stripe: { amount_cents: booked[1]!.paidCents, status: 'succeeded' },
    });
    expect(warn).toHaveBeenCalledTimes(6);
    expect(warn.mock.calls.map((c) => c[0])).toContain(
      `payments reconciliation ${today()}: refund missing_at_us`,
    );

    const stored = await h.t.request({
      method: 'GET',
      url: `/api/v1/admin/payments/reconciliation?date=${today()}`,
      token: h.w.tokens.admin,
    });
    expect(stored.json().differences).toEqual(report.differences);
  });

  it('pages through more than one page of Stripe objects', async () => {
    const before = (await service.run(today())).stripe_payments;
    const stripe = h.t.app.services.stripe!;
    h.sim.control.webhookBehaviour({ drop: true });
    for (let i = 0; i < 101; i++) {
      await stripe.paymentIntents.create({ amount: 100 + i, currency: 'usd' });
    }
    h.sim.control.webhookBehaviour({ drop: false });
    const report = await service.run(today());
    expect(report.stripe_payments).toBe(before + 101);
  });

  it('answers 404 for a date never reconciled, 400 naming a bad date, 403 to staff', async () => {
    const get = (query: string, token = h.w.tokens.admin) =>
      h.t.request({ method: 'GET', url: `/api/v1/admin/payments/reconciliation${query}`, token });
    expect((await get('?date=2020-01-01')).statusCode).toBe(404);
    const bad = await get('?date=2026-02-31');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('date');
    expect((await get('?day=2026-01-01')).json().error.field).toBe('day');
    expect((await get('', h.w.tokens.staffA)).statusCode).toBe(403);
    expect((await run(h.w.tokens.staffA)).statusCode).toBe(403);
    const badRun = await run(h.w.tokens.admin, 'yesterday');
    expect(badRun.statusCode).toBe(400);
    expect(badRun.json().error.field).toBe('date');
  });
});

describe('the nightly schedule', () => {
  let h: StripeHarness;
  beforeAll(async () => {
    // Every second instead of 03:30, so the test sees the job run.
    h = await startStripeHarness('pglite', { reconcileCron: '* * * * * *' });
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => h?.close());

  it('reconciles yesterday (UTC) on the configured cron and stores the report', async () => {
    const yesterday = localDateOf(Date.now() - 86_400_000, 'UTC');
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (
        await h.t.request({
          method: 'GET',
          url: `/api/v1/admin/payments/reconciliation?date=${yesterday}`,
          token: h.w.tokens.admin,
        })
      ).statusCode;
    }
    expect(status).toBe(200);
  });
});
