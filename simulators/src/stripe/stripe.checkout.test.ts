import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { stripeFailure, useStripe } from '../testing/stripe-client.js';

const suite = useStripe({ startAt: '2026-12-01T10:00:00Z' });

const deposit = (extra: Partial<Stripe.Checkout.SessionCreateParams> = {}) =>
  suite.stripe.checkout.sessions.create({
    mode: 'payment',
    line_items: [
      {
        price_data: { currency: 'eur', unit_amount: 1250, product_data: { name: 'Bay 3, 18:00-19:00' } },
        quantity: 2,
      },
    ],
    success_url: 'https://club.example/booked?session={CHECKOUT_SESSION_ID}',
    cancel_url: 'https://club.example/cancelled',
    client_reference_id: 'booking-17',
    metadata: { booking: 'b-17' },
    ...extra,
  });

describe('Checkout Sessions', () => {
  it('creates an open payment session with its hosted page url, total and line items, no PaymentIntent yet', async () => {
    const session = await deposit();
    expect(session).toMatchObject({
      object: 'checkout.session',
      mode: 'payment',
      status: 'open',
      payment_status: 'unpaid',
      amount_total: 2500,
      currency: 'eur',
      payment_intent: null,
      client_reference_id: 'booking-17',
      url: `${suite.sim.url}/c/pay/${session.id}`,
      expires_at: Math.floor(suite.now / 1000) + 24 * 3600,
    });
    expect(session.id).toMatch(/^cs_test_/);
    const items = await suite.stripe.checkout.sessions.listLineItems(session.id);
    expect(items.data).toMatchObject([
      { description: 'Bay 3, 18:00-19:00', quantity: 2, amount_total: 2500 },
    ]);
    const expanded = await suite.stripe.checkout.sessions.retrieve(session.id, { expand: ['line_items'] });
    expect(expanded.line_items?.data).toHaveLength(1);
  });

  it('refuses what Stripe refuses: expiry outside 30 min-24 h, unknown price, no line items, customer and email both', async () => {
    const at = Math.floor(suite.now / 1000);
    expect(await stripeFailure(deposit({ expires_at: at + 10 * 60 }))).toMatchObject({
      statusCode: 400,
      param: 'expires_at',
    });
    expect(await stripeFailure(deposit({ expires_at: at + 25 * 3600 }))).toMatchObject({
      param: 'expires_at',
    });
    expect(await stripeFailure(deposit({ line_items: [{ price: 'price_123', quantity: 1 }] }))).toMatchObject(
      {
        statusCode: 404,
        param: 'line_items[0][price]',
      },
    );
    expect(await stripeFailure(deposit({ line_items: [] }))).toMatchObject({ param: 'line_items' });
    const cus = await suite.stripe.customers.create({ email: 'x@example.com' });
    expect(await stripeFailure(deposit({ customer: cus.id, customer_email: 'x@example.com' }))).toMatchObject(
      {
        param: 'customer_email',
      },
    );
  });

  it('paid through the hosted page: complete, paid, its PaymentIntent cannot be canceled apart from the session', async () => {
    const session = await deposit({ customer_email: 'pay@example.com' });
    const outcome = suite.sim.control.payCheckoutSession(session.id, {
      number: '4242 4242 4242 4242',
      name: 'Pat Payer',
    });
    expect(outcome.kind).toBe('complete');
    const done = await suite.stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent'] });
    expect(done).toMatchObject({
      status: 'complete',
      payment_status: 'paid',
      url: null,
      customer_details: { email: 'pay@example.com', name: 'Pat Payer' },
    });
    const pi = done.payment_intent as Stripe.PaymentIntent;
    expect(pi).toMatchObject({ status: 'succeeded', amount: 2500, currency: 'eur' });
    expect(await stripeFailure(suite.stripe.paymentIntents.cancel(pi.id))).toMatchObject({ statusCode: 400 });
    const completed = suite.sim.store.events.all().find((e) => e.type === 'checkout.session.completed');
    expect(completed?.request).toEqual({ id: null, idempotency_key: null });
    expect(
      (await suite.stripe.checkout.sessions.list({ payment_intent: pi.id })).data.map((s) => s.id),
    ).toEqual([session.id]);
  });

  it('manual capture completes the session unpaid (only authorised); saving the card creates a customer', async () => {
    const session = await deposit({
      customer_email: 'hold@example.com',
      payment_intent_data: { capture_method: 'manual', setup_future_usage: 'off_session' },
    });
    suite.sim.control.payCheckoutSession(session.id, { number: '4242424242424242' });
    const done = await suite.stripe.checkout.sessions.retrieve(session.id);
    expect(done).toMatchObject({ status: 'complete', payment_status: 'unpaid' });
    const pi = await suite.stripe.paymentIntents.retrieve(done.payment_intent as string);
    expect(pi).toMatchObject({ status: 'requires_capture', customer: done.customer });
    expect((await suite.stripe.paymentMethods.list({ customer: done.customer as string })).data).toHaveLength(
      1,
    );
  });

  it('setup mode saves the card to the customer through a SetupIntent', async () => {
    const cus = await suite.stripe.customers.create({ email: 'member@example.com' });
    const session = await suite.stripe.checkout.sessions.create({
      mode: 'setup',
      currency: 'eur',
      customer: cus.id,
      success_url: 'https://club.example/ok',
    });
    expect(session).toMatchObject({ payment_status: 'no_payment_required', amount_total: null });
    expect(suite.sim.control.payCheckoutSession(session.id, { number: '5555555555554444' }).kind).toBe(
      'complete',
    );
    const done = await suite.stripe.checkout.sessions.retrieve(session.id, { expand: ['setup_intent'] });
    expect(done.setup_intent).toMatchObject({ status: 'succeeded', customer: cus.id });
    expect((await suite.stripe.customers.listPaymentMethods(cus.id)).data[0]?.card?.last4).toBe('4444');
  });

  it('a decline keeps the session open for another card', async () => {
    const session = await deposit({ customer_email: 'retry@example.com' });
    expect(suite.sim.control.payCheckoutSession(session.id, { number: '4000000000000002' })).toEqual({
      kind: 'failed',
      message: 'Your card has been declined.',
    });
    expect(suite.sim.control.payCheckoutSession(session.id, { number: '4000000000009995' })).toMatchObject({
      message: 'Your card has insufficient funds.',
    });
    expect(suite.sim.control.payCheckoutSession(session.id, { number: '1234' })).toMatchObject({
      message: 'Your card number is invalid.',
    });
    expect((await suite.stripe.checkout.sessions.retrieve(session.id)).status).toBe('open');
    expect(suite.sim.control.payCheckoutSession(session.id, { number: '4242424242424242' }).kind).toBe(
      'complete',
    );
  });

  it('expires on request or when expires_at passes, with checkout.session.expired', async () => {
    const a = await deposit({ customer_email: 'gone@example.com' });
    suite.sim.control.payCheckoutSession(a.id, { number: '4000000000000002' });
    const expired = await suite.stripe.checkout.sessions.expire(a.id, { expand: ['payment_intent'] });
    expect(expired).toMatchObject({ status: 'expired', url: null });
    expect(expired.payment_intent).toMatchObject({ status: 'canceled', cancellation_reason: 'abandoned' });
    expect(await stripeFailure(suite.stripe.checkout.sessions.expire(a.id))).toMatchObject({
      statusCode: 400,
    });
    const b = await deposit({ expires_at: Math.floor(suite.now / 1000) + 3600 });
    suite.now += 3601 * 1000;
    expect((await suite.stripe.checkout.sessions.retrieve(b.id)).status).toBe('expired');
    const types = suite.sim.store.events.all().map((e) => e.type);
    expect(types.filter((t) => t === 'checkout.session.expired')).toHaveLength(2);
    expect((await suite.stripe.checkout.sessions.list({ status: 'expired' })).data).toHaveLength(2);
  });
});
