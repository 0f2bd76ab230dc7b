import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { book, hoursFromNow, SETUP_TIMEOUT_MS } from '../testing/ops-world.js';
import { setPaymentPolicy } from '../testing/paid-bookings.js';
import { type StripeHarness, startStripeHarness } from '../testing/stripe.js';
import { testDatabases } from '../testing/test-app.js';
import { PaymentsRepository } from './payments.repository.js';

const FEE = 1500;
const RETURN = 'http://site.test/account';

describe.each(testDatabases())('card on file and the no-show fee on %s', (kind) => {
  let h: StripeHarness;
  let repo: PaymentsRepository;
  let slot = 5;
  beforeAll(async () => {
    h = await startStripeHarness(kind);
    repo = new PaymentsRepository(h.t.app.db);
    // Paid at the venue (bookings confirmed at once), with a no-show fee on a saved card.
    await setPaymentPolicy(h, h.w.facilityA, {
      mode: 'at_venue',
      no_show_fee_cents: FEE,
      card_on_file_required: true,
    });
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => h?.close());

  const saveCard = async (token: string, card: string) => {
    const res = await h.t.request({
      method: 'POST',
      url: '/api/v1/customers/me/card',
      token,
      payload: { facility_id: h.w.facilityA, return_url: RETURN, accept_consent: true },
    });
    expect(res.statusCode, res.body).toBe(201);
    const session = h.sim.store.checkoutSessions.require(res.json().checkout_url.split('/').pop());
    h.sim.control.payCheckoutSession(session.id, { number: card });
    await h.settle();
    return res.json() as { consent_text: string };
  };
  /** The edge reports the booking a no-show (its auto-release after the grace period). */
  const noShow = async (bookingId: string) => {
    const event = {
      v: 1,
      event_id: randomUUID(),
      type: 'booking.no_show',
      occurred_at: new Date().toISOString(),
      facility_id: h.w.facilityA,
      payload: { booking_id: bookingId, marked_at: new Date().toISOString() },
    };
    const res = await h.t.app.inject({
      method: 'POST',
      url: '/api/v1/edge/events',
      headers: { authorization: `Edge ${h.w.edgeKeyA}` },
      payload: { v: 1, facility_id: h.w.facilityA, events: [event] },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().results[0].status).toBe('accepted');
    await h.t.app.services.noShowFees.idle();
    await h.settle();
  };
  const feesOf = async (status?: string) => {
    const res = await h.t.request({
      method: 'GET',
      url: `/api/v1/admin/facilities/${h.w.facilityA}/no-show-fees${status ? `?status=${status}` : ''}`,
      token: h.w.tokens.staffA,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().fees as { booking_id: string; status: string; failure_code: string | null }[];
  };
  const noShowIntents = (bookingId: string) =>
    h.sim.store.paymentIntents.all().filter((pi) => pi.metadata.clubos_booking_id === bookingId);

  it('refuses to start a card setup without the consent accepted', async () => {
    const res = await h.t.request({
      method: 'POST',
      url: '/api/v1/customers/me/card',
      token: h.w.tokens.customer,
      payload: { facility_id: h.w.facilityA, return_url: RETURN, accept_consent: false },
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('accept_consent');
  });

  it('lists a no-show whose customer saved no card for staff, charging nothing', async () => {
    const booked = await book(h.t, h.w.tokens.otherCustomer, h.w.bayA1, hoursFromNow(slot++));
    await noShow(booked.id);
    expect((await feesOf('no_card')).map((f) => f.booking_id)).toContain(booked.id);
    expect(noShowIntents(booked.id)).toEqual([]);
  });

  it('saves a card with the consent shown and stored, then charges the fee off session once', async () => {
    const consent = await h.t.request({
      method: 'GET',
      url: `/api/v1/customers/me/card/consent?facility_id=${h.w.facilityA}`,
      token: h.w.tokens.customer,
    });
    expect(consent.json().consent_text).toContain('$15.00');
    const saved = await saveCard(h.w.tokens.customer, '4242424242424242');
    expect(saved.consent_text).toBe(consent.json().consent_text);
    const status = await h.t.request({
      method: 'GET',
      url: '/api/v1/customers/me/card',
      token: h.w.tokens.customer,
    });
    expect(status.json()).toMatchObject({ has_card: true, consent_text: saved.consent_text });
    expect(Date.parse(status.json().consented_at)).toBeGreaterThan(Date.now() - 60_000);

    const booked = await book(h.t, h.w.tokens.customer, h.w.bayA1, hoursFromNow(slot++));
    await noShow(booked.id);
    await noShow(booked.id); // the edge reports it again (another event id): still one fee
    const [intent] = noShowIntents(booked.id);
    expect(noShowIntents(booked.id)).toHaveLength(1);
    expect(intent).toMatchObject({ amount: FEE, status: 'succeeded' });
    const request = h.sim.control
      .requests({ method: 'POST', path: '/v1/payment_intents' })
      .find((r) => r.headers['idempotency-key'] === `no-show:${booked.id}`);
    expect(request?.body).toContain('off_session=true');
    expect((await feesOf()).find((f) => f.booking_id === booked.id)?.status).toBe('succeeded');
    const [payment] = await repo.paymentsOf(booked.id);
    expect(payment).toMatchObject({ kind: 'no_show_fee', status: 'succeeded', amountCents: FEE });
  });

  it('keeps a declined fee visible to staff with the reason', async () => {
    await saveCard(h.w.tokens.otherCustomer, '4000000000000341');
    const booked = await book(h.t, h.w.tokens.otherCustomer, h.w.bayA2, hoursFromNow(slot++));
    await noShow(booked.id);
    const failed = (await feesOf('failed')).find((f) => f.booking_id === booked.id);
    expect(failed).toMatchObject({ status: 'failed' });
    expect(failed?.failure_code).toMatch(/declined|generic_decline/);
    expect((await repo.paymentsOf(booked.id))[0]?.status).toBe('failed');
  });

  it('charges a fee Stripe did not answer on a later pass', async () => {
    const booked = await book(h.t, h.w.tokens.customer, h.w.bayA2, hoursFromNow(slot++));
    h.sim.control.fault({ kind: 'server_error', count: 2, match: { path: '/v1/payment_intents' } });
    await noShow(booked.id);
    h.sim.control.clearFaults();
    expect((await feesOf('pending')).map((f) => f.booking_id)).toContain(booked.id);
    expect(
      await h.t.app.services.noShowFees.retryDue(new Date(Date.now() + 3_600_000)),
    ).toBeGreaterThanOrEqual(1);
    expect((await feesOf('succeeded')).map((f) => f.booking_id)).toContain(booked.id);
    expect(noShowIntents(booked.id).filter((pi) => pi.status === 'succeeded')).toHaveLength(1);
  });
});
