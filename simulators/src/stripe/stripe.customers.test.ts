import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { stripeFailure, useStripe } from '../testing/stripe-client.js';

const suite = useStripe();

describe('customers and saved cards', () => {
  it('creates, updates (an empty value unsets), lists by email and deletes a customer', async () => {
    const cus = await suite.stripe.customers.create({
      email: 'ana@example.com',
      name: 'Ana',
      metadata: { member: 'm-1', tier: 'gold' },
    });
    expect(cus).toMatchObject({ object: 'customer', email: 'ana@example.com', livemode: false });
    const updated = await suite.stripe.customers.update(cus.id, {
      name: '',
      metadata: { tier: '' },
      phone: '+3612345678',
    });
    expect(updated).toMatchObject({ name: null, phone: '+3612345678', metadata: { member: 'm-1' } });
    await suite.stripe.customers.create({ email: 'other@example.com' });
    expect((await suite.stripe.customers.list({ email: 'ana@example.com' })).data.map((c) => c.id)).toEqual([
      cus.id,
    ]);
    expect(await suite.stripe.customers.del(cus.id)).toEqual({
      id: cus.id,
      object: 'customer',
      deleted: true,
    });
    expect(await stripeFailure(suite.stripe.customers.retrieve(cus.id))).toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
    });
  });

  it('attaches test tokens as new PaymentMethods, lists, sets the default, and detaches', async () => {
    const cus = await suite.stripe.customers.create({ email: 'card@example.com' });
    const pm = await suite.stripe.paymentMethods.attach('pm_card_mastercard', { customer: cus.id });
    expect(pm).toMatchObject({
      type: 'card',
      customer: cus.id,
      card: { brand: 'mastercard', last4: '4444' },
    });
    expect(pm.id).toMatch(/^pm_(?!card_)/);
    await suite.stripe.customers.update(cus.id, { invoice_settings: { default_payment_method: pm.id } });
    const listed = await suite.stripe.paymentMethods.list({ customer: cus.id, type: 'card' });
    expect(listed.data.map((p) => p.id)).toEqual([pm.id]);
    expect((await suite.stripe.customers.listPaymentMethods(cus.id)).data).toHaveLength(1);
    const detached = await suite.stripe.paymentMethods.detach(pm.id);
    expect(detached.customer).toBeNull();
    expect((await suite.stripe.customers.retrieve(cus.id)) as Stripe.Customer).toMatchObject({
      invoice_settings: { default_payment_method: null },
    });
    expect(
      await stripeFailure(suite.stripe.paymentMethods.attach(pm.id, { customer: cus.id })),
    ).toMatchObject({
      statusCode: 400,
    });
    const types = suite.sim.store.events.all().map((e) => e.type);
    expect(types).toContain('payment_method.attached');
    expect(types).toContain('payment_method.detached');
  });

  it('refuses to save a declining card (402), except the one made for failed charges', async () => {
    const cus = await suite.stripe.customers.create({ email: 'decline@example.com' });
    const declined = await stripeFailure(
      suite.stripe.paymentMethods.attach('pm_card_visa_chargeDeclined', { customer: cus.id }),
    );
    expect(declined).toMatchObject({
      statusCode: 402,
      code: 'card_declined',
      decline_code: 'generic_decline',
    });
    await expect(
      suite.stripe.paymentMethods.attach('pm_card_chargeCustomerFail', { customer: cus.id }),
    ).resolves.toMatchObject({
      customer: cus.id,
    });
    expect(
      await stripeFailure(suite.stripe.paymentMethods.attach('pm_card_visa', { customer: 'cus_nope' })),
    ).toMatchObject({
      statusCode: 404,
      param: 'customer',
    });
  });
});

describe('SetupIntents', () => {
  const setup = (customer: string, payment_method: string) =>
    suite.stripe.setupIntents.create({
      customer,
      payment_method,
      confirm: true,
      allowed_payment_method_types: ['card'],
    });

  it('saves a card to the customer and says so with setup_intent.succeeded', async () => {
    const cus = await suite.stripe.customers.create({ email: 'save@example.com' });
    const seti = await setup(cus.id, 'pm_card_visa');
    expect(seti).toMatchObject({
      object: 'setup_intent',
      status: 'succeeded',
      usage: 'off_session',
      customer: cus.id,
    });
    expect((await suite.stripe.paymentMethods.retrieve(seti.payment_method as string)).customer).toBe(cus.id);
    expect(suite.sim.store.events.all().map((e) => e.type)).toContain('setup_intent.succeeded');
  });

  it('asks for 3-D Secure where the card does, and fails with setup_intent_authentication_failure when denied', async () => {
    const cus = await suite.stripe.customers.create({ email: 'auth@example.com' });
    const seti = await setup(cus.id, 'pm_card_authenticationRequired');
    expect(seti.status).toBe('requires_action');
    suite.sim.control.authenticate(seti.id, false);
    const failed = await suite.stripe.setupIntents.retrieve(seti.id);
    expect(failed).toMatchObject({
      status: 'requires_payment_method',
      last_setup_error: { code: 'setup_intent_authentication_failure' },
    });
    const retried = await suite.stripe.setupIntents.confirm(seti.id, { payment_method: 'pm_card_visa' });
    expect(retried.status).toBe('succeeded');
  });

  it('declines a declining card with a 402 carrying the SetupIntent; cancels an open one', async () => {
    const cus = await suite.stripe.customers.create({ email: 'nope@example.com' });
    const error = await stripeFailure(setup(cus.id, 'pm_card_visa_chargeDeclinedInsufficientFunds'));
    expect(error).toMatchObject({ statusCode: 402, decline_code: 'insufficient_funds' });
    expect(error.setup_intent).toMatchObject({ status: 'requires_payment_method', customer: cus.id });
    const open = await suite.stripe.setupIntents.create({
      customer: cus.id,
      allowed_payment_method_types: ['card'],
    });
    expect(
      (await suite.stripe.setupIntents.cancel(open.id, { cancellation_reason: 'abandoned' })).status,
    ).toBe('canceled');
    expect(
      await stripeFailure(suite.stripe.setupIntents.confirm(open.id, { payment_method: 'pm_card_visa' })),
    ).toMatchObject({
      code: 'setup_intent_unexpected_state',
    });
    expect((await suite.stripe.setupIntents.list({ customer: cus.id })).data).toHaveLength(2);
  });
});
