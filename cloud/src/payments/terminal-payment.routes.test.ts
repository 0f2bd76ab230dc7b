import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payments, refunds } from '../db/schema/payments.schema.js';
import { asEdge } from '../testing/edge-node.js';
import { SETUP_TIMEOUT_MS } from '../testing/ops-world.js';
import { type StripeHarness, startStripeHarness } from '../testing/stripe.js';
import { testDatabases } from '../testing/test-app.js';

describe.each(testDatabases())('walk-ins paid on the card reader on %s', (kind) => {
  let h: StripeHarness;
  let readerId: string;
  const edge = (method: 'GET' | 'POST', url: string, payload?: object) =>
    asEdge(h.t, h.w.edgeKeyA, method, `/api/v1${url}`, payload);
  const tap = (number?: string) =>
    h.t.app.services.stripe!.testHelpers.terminal.readers.presentPaymentMethod(
      readerId,
      number ? { card_present: { number } } : {},
    );
  const paymentRow = async (id: string) =>
    (await h.t.app.db.select().from(payments).where(eq(payments.id, id)))[0];
  const start = async (amount_cents: number, purpose: 'walk_in' | 'settle', booking_id = randomUUID()) => {
    const res = await edge('POST', '/edge/terminal-payments', { booking_id, amount_cents, purpose });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };

  beforeAll(async () => {
    h = await startStripeHarness(kind);
    const policy = await h.t.request({
      method: 'PUT',
      url: `/api/v1/admin/facilities/${h.w.facilityA}/payment-policy`,
      token: h.w.tokens.admin,
      payload: { mode: 'full', currency: 'eur' },
    });
    expect(policy.statusCode, policy.body).toBe(200);
    const stripe = h.t.app.services.stripe!;
    const location = await stripe.terminal.locations.create({
      display_name: 'Front desk',
      address: { country: 'HU', city: 'Budapest', line1: 'Fő utca 1' },
    });
    readerId = (
      await stripe.terminal.readers.create({ registration_code: 'simulated-wpe', location: location.id })
    ).id;
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => h?.close());

  it('refuses a reader Stripe does not know, naming the field, and keeps the one that exists', async () => {
    const put = (reader_id: string) =>
      h.t.request({
        method: 'PUT',
        url: `/api/v1/admin/facilities/${h.w.facilityA}/terminal-reader`,
        token: h.w.tokens.staffA,
        payload: { reader_id },
      });
    const typo = await put('tmr_nosuchreader');
    expect(typo.statusCode).toBe(400);
    expect(typo.json().error.field).toBe('reader_id');
    expect((await put(readerId)).statusCode).toBe(200);
    const read = await h.t.request({
      method: 'GET',
      url: `/api/v1/admin/facilities/${h.w.facilityA}/terminal-reader`,
      token: h.w.tokens.staffA,
    });
    expect(read.json()).toEqual({ facility_id: h.w.facilityA, reader_id: readerId });
    const otherStaff = await h.t.request({
      method: 'PUT',
      url: `/api/v1/admin/facilities/${h.w.facilityA}/terminal-reader`,
      token: h.w.tokens.staffB,
      payload: { reader_id: readerId },
    });
    expect(otherStaff.statusCode).toBe(403);
  });

  it('authorises a walk-in on the reader, then captures it once sold; the ledger records it by webhook', async () => {
    const started = await start(4500, 'walk_in');
    expect(started).toMatchObject({ status: 'waiting', amount_cents: 4500, currency: 'eur' });
    expect(started.message).toBe('Tap or insert your card on the reader');
    expect((await edge('GET', `/edge/terminal-payments/${started.payment_id}`)).json().status).toBe(
      'waiting',
    );
    await tap();
    expect((await edge('GET', `/edge/terminal-payments/${started.payment_id}`)).json().status).toBe(
      'authorized',
    );
    const captured = await edge('POST', `/edge/terminal-payments/${started.payment_id}/capture`);
    expect(captured.json()).toMatchObject({ status: 'succeeded', booking_id: started.booking_id });
    await h.settle();
    const row = await paymentRow(started.payment_id);
    expect(row).toMatchObject({
      kind: 'terminal',
      provider: 'stripe',
      status: 'succeeded',
      amountCents: 4500,
    });
    const intent = await h.t.app.services.stripe!.paymentIntents.retrieve(row!.providerPaymentId!);
    expect(intent).toMatchObject({ capture_method: 'manual', amount_received: 4500 });
    expect(intent.payment_method_types).toEqual(['card_present']);
  });

  it('says a declined card was declined, holds nothing, and a second attempt gets its own key', async () => {
    const booking = randomUUID();
    const first = await start(3000, 'walk_in', booking);
    await tap('4000000000000002');
    const declined = (await edge('GET', `/edge/terminal-payments/${first.payment_id}`)).json();
    expect(declined.status).toBe('declined');
    expect(declined.message).toMatch(/declined.*nothing was charged/);
    await h.settle();
    expect((await paymentRow(first.payment_id))?.status).toBe('canceled');
    const second = await start(3000, 'walk_in', booking);
    expect((await paymentRow(second.payment_id))?.attempt).toBe(2);
    const cancel = await edge('POST', `/edge/terminal-payments/${second.payment_id}/cancel`);
    expect(cancel.json().status).toBe('canceled');
    const reader = await h.t.app.services.stripe!.terminal.readers.retrieve(readerId);
    expect('action' in reader && reader.action?.status).toBe('failed');
  });

  it('tells a customer who canceled on the reader that nothing was charged, and releases the intent', async () => {
    const started = await start(2000, 'walk_in');
    h.sim.control.customerCancelsOnReader(readerId);
    const status = (await edge('GET', `/edge/terminal-payments/${started.payment_id}`)).json();
    expect(status).toMatchObject({ status: 'declined' });
    expect(status.message).toMatch(/canceled on the reader; nothing was charged/);
    const row = await paymentRow(started.payment_id);
    const intent = await h.t.app.services.stripe!.paymentIntents.retrieve(row!.providerPaymentId!);
    expect(intent.status).toBe('canceled');
  });

  it('refuses to start when the reader is offline, and releases the intent', async () => {
    h.sim.control.setReaderStatus(readerId, 'offline');
    const res = await edge('POST', '/edge/terminal-payments', {
      booking_id: randomUUID(),
      amount_cents: 2000,
      purpose: 'walk_in',
    });
    h.sim.control.setReaderStatus(readerId, 'online');
    expect(res.statusCode).toBe(422);
    expect(res.json().error.message).toMatch(/card reader could not take the payment.*offline/);
  });

  it('is for edges only, and for the payments of their own facility', async () => {
    const asStaff = await h.t.request({
      method: 'POST',
      url: '/api/v1/edge/terminal-payments',
      token: h.w.tokens.staffA,
      payload: { booking_id: randomUUID(), amount_cents: 2000, purpose: 'walk_in' },
    });
    expect(asStaff.statusCode).toBe(403);
    const bad = await edge('POST', '/edge/terminal-payments', {
      booking_id: randomUUID(),
      amount_cents: 0,
      purpose: 'walk_in',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('amount_cents');
    expect((await edge('GET', `/edge/terminal-payments/${randomUUID()}`)).statusCode).toBe(404);
  });

  it("records a walk-in's due from the outbox and settles it in cash, once", async () => {
    const booking = randomUUID();
    const batch = {
      v: 1,
      facility_id: h.w.facilityA,
      events: [
        {
          v: 1,
          event_id: randomUUID(),
          type: 'walk_in.to_collect',
          occurred_at: new Date().toISOString(),
          facility_id: h.w.facilityA,
          payload: { booking_id: booking, amount_cents: 3500 },
        },
      ],
    };
    expect((await edge('POST', '/edge/events', batch)).json().results[0].status).toBe('accepted');
    // A re-send after a lost answer is a duplicate: the due is recorded once.
    expect((await edge('POST', '/edge/events', batch)).json().results[0].status).toBe('duplicate');
    const owed = (await edge('GET', '/edge/walk-in-dues')).json().dues;
    expect(owed).toContainEqual(
      expect.objectContaining({ booking_id: booking, amount_cents: 3500, status: 'owed' }),
    );
    const wrong = await edge('POST', `/edge/walk-in-dues/${booking}/settle`, {
      amount_cents: 3000,
      method: 'cash',
      settled_by: 'user:desk',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.field).toBe('amount_cents');
    const body = { amount_cents: 3500, method: 'cash', settled_by: 'user:desk' };
    const settled = (await edge('POST', `/edge/walk-in-dues/${booking}/settle`, body)).json();
    expect(settled).toMatchObject({ status: 'settled', method: 'cash', settled_by: 'user:desk' });
    const again = (await edge('POST', `/edge/walk-in-dues/${booking}/settle`, body)).json();
    expect(again.payment_id).toBe(settled.payment_id);
    expect(await paymentRow(settled.payment_id)).toMatchObject({
      kind: 'cash',
      provider: 'venue',
      status: 'succeeded',
      amountCents: 3500,
    });
    const cashRows = await h.t.app.db.select().from(payments).where(eq(payments.bookingId, booking));
    expect(cashRows).toHaveLength(1);
    expect(
      (await edge('GET', '/edge/walk-in-dues')).json().dues.map((d: { booking_id: string }) => d.booking_id),
    ).not.toContain(booking);
  });

  it('settles a due by card only with a succeeded reader payment of that booking and amount', async () => {
    const booking = randomUUID();
    const card = await start(2500, 'settle', booking);
    const early = await edge('POST', `/edge/walk-in-dues/${booking}/settle`, {
      amount_cents: 2500,
      method: 'card',
      payment_id: card.payment_id,
      settled_by: 'user:desk',
    });
    expect(early.statusCode).toBe(409);
    await tap();
    expect((await edge('GET', `/edge/terminal-payments/${card.payment_id}`)).json().status).toBe('succeeded');
    const noId = await edge('POST', `/edge/walk-in-dues/${booking}/settle`, {
      amount_cents: 2500,
      method: 'card',
      settled_by: 'user:desk',
    });
    expect(noId.json().error.field).toBe('payment_id');
    const settled = await edge('POST', `/edge/walk-in-dues/${booking}/settle`, {
      amount_cents: 2500,
      method: 'card',
      payment_id: card.payment_id,
      settled_by: 'user:desk',
    });
    expect(settled.json()).toMatchObject({ status: 'settled', method: 'card', payment_id: card.payment_id });
    await h.settle();
    expect((await paymentRow(card.payment_id))?.status).toBe('succeeded');
    // The walk-in's booking may reach the cloud later (the outbox): its card payment is not refunded
    // as if it were a checkout whose hold had gone.
    expect(await h.t.app.db.select().from(refunds).where(eq(refunds.bookingId, booking))).toEqual([]);
  });
});
