import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { cardPayment, eur, stripeFailure, useStripe } from '../testing/stripe-client.js';

const suite = useStripe();

const eventTypes = () =>
  suite.sim.store.events
    .all()
    .map((e) => e.type)
    .reverse();

describe('PaymentIntents, on session', () => {
  it('automatic capture: requires_payment_method → requires_confirmation → succeeded, with a captured charge', async () => {
    const created = await suite.stripe.paymentIntents.create({ ...eur(2500), metadata: { booking: 'b-7' } });
    expect(created).toMatchObject({
      status: 'requires_payment_method',
      capture_method: 'automatic_async',
      amount_received: 0,
    });
    expect(created.client_secret).toMatch(new RegExp(`^${created.id}_secret_`));
    const updated = await suite.stripe.paymentIntents.update(created.id, { payment_method: 'pm_card_visa' });
    expect(updated.status).toBe('requires_confirmation');
    const confirmed = await suite.stripe.paymentIntents.confirm(created.id, { expand: ['latest_charge'] });
    expect(confirmed).toMatchObject({
      status: 'succeeded',
      amount_received: 2500,
      metadata: { booking: 'b-7' },
    });
    const charge = confirmed.latest_charge as Stripe.Charge;
    expect(charge).toMatchObject({
      object: 'charge',
      captured: true,
      amount_captured: 2500,
      status: 'succeeded',
      paid: true,
    });
    expect(charge.payment_method_details?.card).toMatchObject({ brand: 'visa', last4: '4242' });
    expect(eventTypes()).toEqual(['payment_intent.created', 'charge.succeeded', 'payment_intent.succeeded']);
  });

  it('manual capture: requires_capture with capture_before, partial capture, and no capture above the authorisation', async () => {
    const pi = await suite.stripe.paymentIntents.create({ ...cardPayment(5000), capture_method: 'manual' });
    expect(pi).toMatchObject({ status: 'requires_capture', amount_capturable: 5000, amount_received: 0 });
    const charge = await suite.stripe.charges.retrieve(pi.latest_charge as string);
    expect(charge.captured).toBe(false);
    expect(charge.payment_method_details?.card?.capture_before).toBe(charge.created + 7 * 24 * 3600);
    const tooMuch = await stripeFailure(
      suite.stripe.paymentIntents.capture(pi.id, { amount_to_capture: 6000 }),
    );
    expect(tooMuch).toMatchObject({ statusCode: 400, param: 'amount_to_capture', code: 'amount_too_large' });
    const captured = await suite.stripe.paymentIntents.capture(pi.id, { amount_to_capture: 3000 });
    expect(captured).toMatchObject({ status: 'succeeded', amount_received: 3000, amount_capturable: 0 });
    expect(await suite.stripe.charges.retrieve(charge.id)).toMatchObject({
      captured: true,
      amount_captured: 3000,
    });
    const again = await stripeFailure(suite.stripe.paymentIntents.capture(pi.id));
    expect(again).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
    expect(eventTypes()).toContain('payment_intent.amount_capturable_updated');
    expect(eventTypes()).toContain('charge.captured');
  });

  it('cancel releases an authorisation; a succeeded payment cannot be canceled', async () => {
    const held = await suite.stripe.paymentIntents.create({ ...cardPayment(2000), capture_method: 'manual' });
    const canceled = await suite.stripe.paymentIntents.cancel(held.id, {
      cancellation_reason: 'requested_by_customer',
    });
    expect(canceled).toMatchObject({ status: 'canceled', cancellation_reason: 'requested_by_customer' });
    expect(await suite.stripe.charges.retrieve(held.latest_charge as string)).toMatchObject({
      refunded: true,
      amount_refunded: 2000,
    });
    const paid = await suite.stripe.paymentIntents.create(cardPayment(2000));
    const refused = await stripeFailure(suite.stripe.paymentIntents.cancel(paid.id));
    expect(refused).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
    expect(refused.message).toContain('status of succeeded');
  });

  it('an uncaptured authorisation is canceled once its capture window has passed', async () => {
    const pi = await suite.stripe.paymentIntents.create({ ...cardPayment(2000), capture_method: 'manual' });
    suite.sim.control.advanceClock(7 * 24 * 3600 - 60);
    expect((await suite.stripe.paymentIntents.retrieve(pi.id)).status).toBe('requires_capture');
    suite.sim.control.advanceClock(120);
    expect(await suite.stripe.paymentIntents.retrieve(pi.id)).toMatchObject({
      status: 'canceled',
      cancellation_reason: 'automatic',
    });
    expect(eventTypes().slice(-2)).toEqual(['payment_intent.canceled', 'charge.expired']);
  });

  it('3-D Secure: requires_action with a redirect to the simulator, then approved or failed', async () => {
    const pi = await suite.stripe.paymentIntents.create({
      ...eur(4000),
      payment_method: 'pm_card_authenticationRequired',
      confirm: true,
      return_url: 'https://club.example/return',
    });
    expect(pi.status).toBe('requires_action');
    expect(pi.next_action).toEqual({
      type: 'redirect_to_url',
      redirect_to_url: { url: `${suite.sim.url}/3ds/${pi.id}`, return_url: 'https://club.example/return' },
    });
    suite.sim.control.authenticate(pi.id, true);
    expect((await suite.stripe.paymentIntents.retrieve(pi.id)).status).toBe('succeeded');

    const denied = await suite.stripe.paymentIntents.create(
      cardPayment(4000, 'pm_card_threeDSecure2Required'),
    );
    expect(denied.next_action?.type).toBe('use_stripe_sdk');
    suite.sim.control.authenticate(denied.id, false);
    const failed = await suite.stripe.paymentIntents.retrieve(denied.id);
    expect(failed.status).toBe('requires_payment_method');
    expect(failed.last_payment_error).toMatchObject({
      code: 'payment_intent_authentication_failure',
      type: 'invalid_request_error',
    });
  });

  it('asks for a return_url when automatic payment methods may redirect, as Stripe does', async () => {
    const error = await stripeFailure(
      suite.stripe.paymentIntents.create({
        amount: 2500,
        currency: 'eur',
        payment_method: 'pm_card_visa',
        confirm: true,
      }),
    );
    expect(error).toMatchObject({ statusCode: 400, param: 'return_url' });
    await expect(
      suite.stripe.paymentIntents.create({
        amount: 2500,
        currency: 'EUR',
        payment_method: 'pm_card_visa',
        confirm: true,
        automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
      }),
    ).resolves.toMatchObject({ status: 'succeeded', currency: 'eur' });
    const current = await suite.stripe.paymentIntents.create(cardPayment(2500));
    expect(current).toMatchObject({
      allowed_payment_method_types: ['card'],
      payment_method_types: ['card'],
      automatic_payment_methods: null,
    });
    // API versions before 2026-09-30 (stripe-node ≤ 22) name the list payment_method_types.
    const older = {
      amount: 2500,
      currency: 'eur',
      payment_method_types: ['card'],
      payment_method: 'pm_card_visa',
      confirm: true,
    };
    await expect(
      suite.stripe.paymentIntents.create(older as Stripe.PaymentIntentCreateParams),
    ).resolves.toMatchObject({
      status: 'succeeded',
      allowed_payment_method_types: null,
    });
    const both = { ...older, allowed_payment_method_types: ['card'] } as Stripe.PaymentIntentCreateParams;
    expect(await stripeFailure(suite.stripe.paymentIntents.create(both))).toMatchObject({
      param: 'allowed_payment_method_types',
    });
    const small = await stripeFailure(suite.stripe.paymentIntents.create(eur(20)));
    expect(small).toMatchObject({ code: 'amount_too_small', param: 'amount' });
  });
});

describe('PaymentIntents, off session on a saved card (no-show fee)', () => {
  async function savedCard(token: string): Promise<{ customer: string; pm: string }> {
    const customer = await suite.stripe.customers.create({ email: 'noshow@example.com' });
    const pm = await suite.stripe.paymentMethods.attach(token, { customer: customer.id });
    return { customer: customer.id, pm: pm.id };
  }
  const charge = (saved: { customer: string; pm: string }, key?: string) =>
    suite.stripe.paymentIntents.create(
      { ...eur(1500), customer: saved.customer, payment_method: saved.pm, off_session: true, confirm: true },
      key ? { idempotencyKey: key } : {},
    );

  it('succeeds on a good card and can be charged again', async () => {
    const saved = await savedCard('pm_card_visa');
    await expect(charge(saved)).resolves.toMatchObject({ status: 'succeeded' });
    await expect(charge(saved)).resolves.toMatchObject({ status: 'succeeded' });
  });

  it('pm_card_chargeCustomerFail attaches, then every charge declines with a 402 carrying the PaymentIntent', async () => {
    const saved = await savedCard('pm_card_chargeCustomerFail');
    const error = await stripeFailure(charge(saved, 'booking-9-no-show'));
    expect(error).toMatchObject({ statusCode: 402, code: 'card_declined', decline_code: 'generic_decline' });
    expect(error.payment_intent).toMatchObject({
      status: 'requires_payment_method',
      customer: saved.customer,
    });
    expect(error.payment_intent?.last_payment_error).toMatchObject({
      code: 'card_declined',
      type: 'card_error',
    });
    expect(eventTypes()).toContain('payment_intent.payment_failed');
  });

  it('a card that always needs 3-D Secure declines off session with authentication_required', async () => {
    const saved = await savedCard('pm_card_authenticationRequired');
    const error = await stripeFailure(charge(saved));
    expect(error).toMatchObject({
      statusCode: 402,
      code: 'authentication_required',
      decline_code: 'authentication_required',
    });
  });

  it('a card that needs 3-D Secure on setup works off session once set up through a SetupIntent', async () => {
    const customer = await suite.stripe.customers.create({ email: 'setup@example.com' });
    const seti = await suite.stripe.setupIntents.create({
      customer: customer.id,
      payment_method: 'pm_card_authenticationRequiredOnSetup',
      allowed_payment_method_types: ['card'],
      confirm: true,
    });
    expect(seti.status).toBe('requires_action');
    suite.sim.control.authenticate(seti.id, true);
    const done = await suite.stripe.setupIntents.retrieve(seti.id);
    expect(done.status).toBe('succeeded');
    await expect(charge({ customer: customer.id, pm: done.payment_method as string })).resolves.toMatchObject(
      {
        status: 'succeeded',
      },
    );
  });

  it('refuses to reuse a card used once without a customer, or a card of another customer', async () => {
    const once = await suite.stripe.paymentIntents.create(cardPayment(1000));
    const reuse = await stripeFailure(
      suite.stripe.paymentIntents.create({
        ...eur(1000),
        payment_method: once.payment_method as string,
        confirm: true,
      }),
    );
    expect(reuse).toMatchObject({ statusCode: 400, param: 'payment_method' });
    const saved = await savedCard('pm_card_visa');
    const other = await suite.stripe.customers.create({ email: 'other@example.com' });
    const wrong = await stripeFailure(charge({ customer: other.id, pm: saved.pm }));
    expect(wrong.message).toContain('belongs to a different Customer');
  });
});
