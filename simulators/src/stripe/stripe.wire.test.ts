import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { cardPayment, stripeFailure, useStripe } from '../testing/stripe-client.js';

const suite = useStripe({ startAt: '2026-12-01T10:00:00Z' });

describe('wire format, auth and errors', () => {
  it('answers JSON with Request-Id and the Stripe-Version sent, and records what the SDK sent', async () => {
    const cus = await suite.stripe.customers.create(
      { email: 'lee@example.com', metadata: { booking: 'b-1', venue: 'v' } },
      { apiVersion: '2026-07-29.dahlia' },
    );
    expect(cus.lastResponse.requestId).toMatch(/^req_/);
    expect(cus.lastResponse.apiVersion).toBe('2026-07-29.dahlia');
    const [logged] = suite.sim.control.requests({ method: 'POST', path: '/v1/customers' });
    expect(logged?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(logged?.headers['user-agent']).toMatch(/^Stripe\/v1 NodeBindings\//);
    expect(logged?.headers['idempotency-key']).toMatch(/^stripe-node-retry-/);
    expect(logged?.body).toBe('email=lee%40example.com&metadata[booking]=b-1&metadata[venue]=v');
  });

  it('refuses a missing or wrong key with a 401 the SDK raises as StripeAuthenticationError', async () => {
    const wrong = new Stripe('sk_test_not_the_key_1234', { ...suite.sim.sdkConfig, maxNetworkRetries: 0 });
    const error = await stripeFailure(wrong.customers.list());
    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(error.statusCode).toBe(401);
    expect(error.message).toContain('Invalid API Key provided: sk_test_************1234');
    const bare = await fetch(`${suite.sim.url}/v1/customers`);
    expect(bare.status).toBe(401);
    expect(((await bare.json()) as { error: { message: string } }).error.message).toContain(
      'You did not provide an API key',
    );
    const basic = await fetch(`${suite.sim.url}/v1/customers`, {
      headers: { authorization: `Basic ${Buffer.from(`${suite.sim.apiKey}:`).toString('base64')}` },
    });
    expect(basic.status).toBe(200);
  });

  it('refuses a malformed API version, unknown parameters, JSON bodies and unknown URLs with 4xx bodies', async () => {
    const version = await stripeFailure(suite.stripe.customers.list({}, { apiVersion: 'latest' }));
    expect(version.statusCode).toBe(400);
    expect(version.message).toContain('Invalid Stripe API version: latest');

    const unknown = await stripeFailure(
      suite.stripe.customers.create({ colour: 'red' } as Stripe.CustomerCreateParams),
    );
    expect(unknown).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(unknown).toMatchObject({ code: 'parameter_unknown', param: 'colour', statusCode: 400 });

    const json = await fetch(`${suite.sim.url}/v1/customers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${suite.sim.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'x@example.com' }),
    });
    expect(json.status).toBe(400);

    const nowhere = await stripeFailure(suite.stripe.rawRequest('POST', '/v1/charges', { amount: 100 }));
    expect(nowhere.statusCode).toBe(404);
    expect(nowhere.message).toContain('Unrecognized request URL (POST: /v1/charges)');
  });

  it('sends a card decline as 402 card_error carrying the PaymentIntent, and an unknown id as 404 resource_missing', async () => {
    const decline = await stripeFailure(
      suite.stripe.paymentIntents.create(cardPayment(2500, 'pm_card_visa_chargeDeclined')),
    );
    expect(decline).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(decline).toMatchObject({
      code: 'card_declined',
      decline_code: 'generic_decline',
      statusCode: 402,
    });
    expect(decline.raw).toMatchObject({
      type: 'card_error',
      doc_url: 'https://stripe.com/docs/error-codes/card-declined',
    });
    expect(decline.payment_intent?.status).toBe('requires_payment_method');
    expect(decline.charge).toMatch(/^ch_/);

    const missing = await stripeFailure(suite.stripe.paymentIntents.retrieve('pi_missing'));
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(missing).toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
      message: expect.stringContaining("No such payment_intent: 'pi_missing'"),
    });
  });
});

describe('idempotency', () => {
  const create = (key: string, amount = 2500) =>
    suite.stripe.paymentIntents.create(cardPayment(amount), { idempotencyKey: key });

  it('replays the stored reply for the same key and parameters, without running it again', async () => {
    const first = await create('booking-42-deposit');
    const second = await create('booking-42-deposit');
    expect(second.id).toBe(first.id);
    expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(second.lastResponse.headers['original-request']).toBe(first.lastResponse.requestId);
    expect((await suite.stripe.paymentIntents.list()).data).toHaveLength(1);
  });

  it('replays a stored error too, and answers other parameters under the same key with idempotency_error', async () => {
    const params = cardPayment(2500, 'pm_card_visa_chargeDeclined');
    const first = await stripeFailure(
      suite.stripe.paymentIntents.create(params, { idempotencyKey: 'k-decline' }),
    );
    const again = await stripeFailure(
      suite.stripe.paymentIntents.create(params, { idempotencyKey: 'k-decline' }),
    );
    expect(again.payment_intent?.id).toBe(first.payment_intent?.id);
    expect(again.headers?.['idempotent-replayed']).toBe('true');
    expect((await suite.stripe.paymentIntents.list()).data).toHaveLength(1);

    const mismatch = await stripeFailure(create('k-decline', 3000));
    expect(mismatch).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(mismatch.statusCode).toBe(400);
  });

  it('does not store a request refused before it ran, and forgets keys after 24 hours', async () => {
    await stripeFailure(
      suite.stripe.paymentIntents.create({ amount: 0, currency: 'eur' }, { idempotencyKey: 'k-invalid' }),
    );
    await expect(create('k-invalid')).resolves.toMatchObject({ status: 'succeeded' });

    const day = await create('k-day');
    suite.now += 24 * 60 * 60 * 1000 + 1000;
    const later = await create('k-day');
    expect(later.id).not.toBe(day.id);
  });

  it('answers 409 while the first request with a key still runs, and a key over 255 characters with 400', async () => {
    suite.sim.control.fault({ kind: 'slow', delayMs: 1500, count: 1 });
    const slow = create('k-busy');
    // The second request goes once the first has arrived, well inside its 1.5 s of work.
    await expect.poll(() => suite.sim.control.requests({ path: '/v1/payment_intents' }).length).toBe(1);
    const busy = await stripeFailure(create('k-busy'));
    expect(busy.statusCode).toBe(409);
    expect(busy.code).toBe('idempotency_key_in_use');
    const done = await slow;
    await expect(create('k-busy')).resolves.toMatchObject({ id: done.id });

    const long = await stripeFailure(create('k'.repeat(256)));
    expect(long).toMatchObject({ statusCode: 400, param: 'Idempotency-Key' });
  });
});
