import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { cardPayment, eur, stripeFailure, useStripe } from '../testing/stripe-client.js';

const suite = useStripe();

/** An SDK that retries quickly, like the cloud's with its own retry settings. */
const retrying = (maxNetworkRetries: number, timeout?: number) =>
  new Stripe(suite.sim.apiKey, {
    ...suite.sim.sdkConfig,
    maxNetworkRetries,
    ...(timeout ? { timeout } : {}),
  });

const statuses = () => suite.sim.control.requests({ path: '/v1/payment_intents' }).map((r) => r.status);

describe('Stripe down', () => {
  it('500 before anything runs: not stored, so the SDK retry with the same key gets through', async () => {
    suite.sim.control.fault({ kind: 'server_error', count: 1 });
    const pi = await retrying(2).paymentIntents.create(cardPayment(2500));
    expect(pi.status).toBe('succeeded');
    expect(statuses()).toEqual([500, 200]);
    const keys = suite.sim.control
      .requests({ path: '/v1/payment_intents' })
      .map((r) => r.headers['idempotency-key']);
    expect(keys[0]).toBe(keys[1]);

    suite.sim.control.fault({ kind: 'server_error', status: 503, shouldRetry: false, count: 1 });
    const refused = await stripeFailure(retrying(2).paymentIntents.create(eur(2500)));
    expect(refused).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(refused).toMatchObject({ statusCode: 503, type: 'StripeAPIError' });
    expect(statuses().slice(2)).toEqual([503]);
  });

  it('429: not retried by the SDK without Stripe-Should-Retry, retried with it', async () => {
    suite.sim.control.fault({ kind: 'rate_limit', count: 1 });
    const limited = await stripeFailure(retrying(2).paymentIntents.list());
    expect(limited).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    expect(limited.code).toBe('rate_limit');
    suite.sim.control.fault({ kind: 'rate_limit', shouldRetry: true, count: 1 });
    await expect(retrying(2).paymentIntents.list()).resolves.toMatchObject({ object: 'list' });
    expect(statuses()).toEqual([429, 429, 200]);
  });

  it('a reset connection is a StripeConnectionError (stripe-node retries a closed connection once by itself)', async () => {
    suite.sim.control.fault({ kind: 'down', count: 2 });
    const error = await stripeFailure(suite.stripe.paymentIntents.list());
    expect(error).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    expect(statuses()).toEqual([0, 0]);
    await expect(suite.stripe.paymentIntents.list()).resolves.toMatchObject({ object: 'list' });
  });

  it('no answer at all: the SDK times out, and nothing was created', async () => {
    suite.sim.control.fault({ kind: 'timeout', count: 1 });
    const error = await stripeFailure(retrying(0, 300).paymentIntents.create(eur(2500)));
    expect(error).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    expect(error.message).toContain('timeout');
    expect(suite.sim.store.paymentIntents.all()).toEqual([]);
  });

  it('a lost reply after the work is done: the SDK retry with the same key gets the stored reply, one payment', async () => {
    suite.sim.control.fault({
      kind: 'lost_reply',
      count: 1,
      match: { method: 'POST', path: '/v1/payment_intents' },
    });
    const pi = await retrying(1).paymentIntents.create(cardPayment(2500));
    expect(suite.sim.store.paymentIntents.all().map((p) => p.id)).toEqual([pi.id]);
    expect(pi.lastResponse.headers['idempotent-replayed']).toBe('true');
  });

  it('slow: the answer comes late and a short client timeout gives up while the work is done', async () => {
    suite.sim.control.fault({ kind: 'slow', delayMs: 400, count: 1 });
    const error = await stripeFailure(retrying(0, 150).customers.create({ email: 'late@example.com' }));
    expect(error).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    await expect.poll(() => suite.sim.store.customers.all().length).toBe(1);
  });

  it('is set and refused over HTTP, and a match limits a fault to one endpoint', async () => {
    const post = (body: unknown) =>
      fetch(`${suite.sim.url}/__control/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post({ kind: 'meteor' })).status).toBe(400);
    expect((await post({ kind: 'server_error', status: 200 })).status).toBe(400);
    expect((await post({ kind: 'server_error', match: { path: '/v1/refunds' } })).status).toBe(201);
    await expect(suite.stripe.paymentIntents.list()).resolves.toMatchObject({ object: 'list' });
    expect((await stripeFailure(suite.stripe.refunds.list())).statusCode).toBe(500);
    expect(suite.sim.control.faults()).toEqual([
      { kind: 'server_error', match: { path: '/v1/refunds' }, remaining: null },
    ]);
    expect((await fetch(`${suite.sim.url}/__control/faults`, { method: 'DELETE' })).status).toBe(204);
    await expect(suite.stripe.refunds.list()).resolves.toMatchObject({ object: 'list' });
  });
});
