import { randomUUID } from 'node:crypto';
import { localDateOf } from '@clubos/shared/time';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETUP_TIMEOUT_MS } from '../testing/ops-world.js';
import { type PaidBooking, payHold, setPaymentPolicy } from '../testing/paid-bookings.js';
import { type StripeHarness, startStripeHarness } from '../testing/stripe.js';
import { testDatabases } from '../testing/test-app.js';
import { reportToCollect, settleInCash } from '../testing/walk-in-dues.js';

describe.each(testDatabases())('admin money views on %s', (kind) => {
  let h: StripeHarness;
  let paid: PaidBooking;
  let refundedOne: PaidBooking;
  let other: PaidBooking;
  const today = () => localDateOf(Date.now(), 'UTC');
  beforeAll(async () => {
    h = await startStripeHarness(kind);
    await setPaymentPolicy(h, h.w.facilityA);
    await setPaymentPolicy(h, h.w.facilityB, { mode: 'deposit', deposit_bps: 5000, currency: 'cad' });
    paid = await payHold(h, h.w.bayA1, 40);
    refundedOne = await payHold(h, h.w.bayA2, 41);
    other = await payHold(h, h.w.bayB1, 42);
    await h.t.app.services.payments.refund(refundedOne.bookingId, 1000, 'goodwill', 'user:staff');
    await h.settle();
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => h?.close());

  const get = (url: string, token = h.w.tokens.admin) => h.t.request({ method: 'GET', url, token });

  it("lists a booking's payment and refund with its net", async () => {
    const res = await get(`/api/v1/admin/bookings/${refundedOne.bookingId}/payments`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.payments).toHaveLength(1);
    expect(body.payments[0]).toMatchObject({
      id: refundedOne.paymentId,
      status: 'succeeded',
      amount_cents: refundedOne.paidCents,
      currency: 'usd',
      provider_payment_id: refundedOne.intentId,
    });
    expect(body.payments[0].succeeded_at).not.toBeNull();
    expect(body.refunds).toEqual([
      expect.objectContaining({
        amount_cents: 1000,
        status: 'succeeded',
        reason: 'goodwill',
        currency: 'usd',
      }),
    ]);
    expect(body.totals).toEqual([
      {
        currency: 'usd',
        gross_paid_cents: refundedOne.paidCents,
        refunded_cents: 1000,
        net_cents: refundedOne.paidCents - 1000,
        payments_count: 1,
        refunds_count: 1,
      },
    ]);
  });

  it("gives a facility's day with payout totals, without another facility's money", async () => {
    const res = await get(`/api/v1/admin/facilities/${h.w.facilityA}/payments?date=${today()}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    const ids = body.payments.map((p: { id: string }) => p.id);
    expect(ids).toEqual(expect.arrayContaining([paid.paymentId, refundedOne.paymentId]));
    expect(ids).not.toContain(other.paymentId);
    const gross = paid.paidCents + refundedOne.paidCents;
    expect(body.totals).toEqual([
      {
        currency: 'usd',
        gross_paid_cents: gross,
        refunded_cents: 1000,
        net_cents: gross - 1000,
        payments_count: 2,
        refunds_count: 1,
      },
    ]);
    const b = (await get(`/api/v1/admin/facilities/${h.w.facilityB}/payments?date=${today()}`)).json();
    expect(b.totals).toEqual([
      expect.objectContaining({
        currency: 'cad',
        gross_paid_cents: other.paidCents,
        net_cents: other.paidCents,
      }),
    ]);
    expect(other.paidCents).toBe(Math.round(other.priceCents / 2));
  });

  it('is empty on a day without money', async () => {
    const res = await get(`/api/v1/admin/facilities/${h.w.facilityA}/payments?date=2020-01-01`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ payments: [], refunds: [], totals: [], timezone: 'UTC' });
  });

  it.each([
    ['?date=2026-13-45', 'date'],
    ['?date=tomorrow', 'date'],
    ['', 'date'],
    [`?date=2026-01-01&facility=x`, 'facility'],
  ])('refuses %s with a 400 naming %s', async (query, field) => {
    const res = await get(`/api/v1/admin/facilities/${h.w.facilityA}/payments${query}`);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.field).toBe(field);
  });

  it('refuses an id that is not a uuid with a 400 naming it', async () => {
    const res = await get('/api/v1/admin/bookings/nope/payments');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('id');
  });

  it("keeps staff to their own facility's money, and customers out", async () => {
    expect(
      (await get(`/api/v1/admin/bookings/${paid.bookingId}/payments`, h.w.tokens.staffA)).statusCode,
    ).toBe(200);
    expect(
      (await get(`/api/v1/admin/bookings/${paid.bookingId}/payments`, h.w.tokens.staffB)).statusCode,
    ).toBe(403);
    expect(
      (await get(`/api/v1/admin/facilities/${h.w.facilityA}/payments?date=${today()}`, h.w.tokens.staffB))
        .statusCode,
    ).toBe(403);
    expect(
      (await get(`/api/v1/admin/bookings/${paid.bookingId}/payments`, h.w.tokens.customer)).statusCode,
    ).toBe(403);
  });

  it('answers 404 for a booking that never existed', async () => {
    const res = await get('/api/v1/admin/bookings/00000000-0000-4000-8000-000000000000/payments');
    expect(res.statusCode).toBe(404);
  });

  // Last: its cash settlement adds to facility A's day, which the tests above total.
  it('lists the walk-ins sold offline to collect, once synced: still owed whatever the day, settled on theirs', async () => {
    const owed = randomUUID();
    const settled = randomUUID();
    await reportToCollect(h, owed, 2500);
    await reportToCollect(h, settled, 4000);
    await settleInCash(h, settled, 4000);
    const day = (await get(`/api/v1/admin/facilities/${h.w.facilityA}/payments?date=${today()}`)).json();
    const byId = new Map(day.to_collect.map((d: { booking_id: string }) => [d.booking_id, d]));
    expect(byId.get(owed)).toMatchObject({
      amount_cents: 2500,
      currency: 'usd',
      status: 'owed',
      method: null,
    });
    expect(byId.get(settled)).toMatchObject({
      amount_cents: 4000,
      status: 'settled',
      method: 'cash',
      settled_by: 'user:desk',
    });
    // Another day: what is still owed shows, what was settled stays on its own day.
    const earlier = (await get(`/api/v1/admin/facilities/${h.w.facilityA}/payments?date=2020-01-01`)).json();
    const ids = earlier.to_collect.map((d: { booking_id: string }) => d.booking_id);
    expect(ids).toContain(owed);
    expect(ids).not.toContain(settled);
    // Another facility's staff see none of it.
    const otherVenue = await get(
      `/api/v1/admin/facilities/${h.w.facilityA}/payments?date=${today()}`,
      h.w.tokens.staffB,
    );
    expect(otherVenue.statusCode).toBe(403);
  });
});
