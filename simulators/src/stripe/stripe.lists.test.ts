import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { cardPayment, eur, stripeFailure, useStripe } from '../testing/stripe-client.js';

const suite = useStripe({ startAt: '2026-12-01T10:00:00Z' });

/** `count` paid intents, one second apart, oldest first. */
async function payments(count: number): Promise<Stripe.PaymentIntent[]> {
  const out: Stripe.PaymentIntent[] = [];
  for (let i = 0; i < count; i++) {
    out.push(await suite.stripe.paymentIntents.create(cardPayment(1000 + i)));
    suite.now += 1000;
  }
  return out;
}

describe('lists for the nightly reconciliation', () => {
  it('pages newest first with limit, has_more, starting_after and ending_before', async () => {
    const made = (await payments(5)).map((p) => p.id).reverse();
    const first = await suite.stripe.paymentIntents.list({ limit: 2 });
    expect(first).toMatchObject({ object: 'list', has_more: true, url: '/v1/payment_intents' });
    expect(first.data.map((p) => p.id)).toEqual(made.slice(0, 2));
    const second = await suite.stripe.paymentIntents.list({ limit: 2, starting_after: first.data[1]?.id });
    expect(second.data.map((p) => p.id)).toEqual(made.slice(2, 4));
    const last = await suite.stripe.paymentIntents.list({ limit: 2, starting_after: second.data[1]?.id });
    expect(last).toMatchObject({ has_more: false });
    expect(last.data.map((p) => p.id)).toEqual(made.slice(4));
    const back = await suite.stripe.paymentIntents.list({ limit: 2, ending_before: made[4] });
    expect(back.data.map((p) => p.id)).toEqual(made.slice(2, 4));
  });

  it('auto-pagination walks every page, as the SDK does it', async () => {
    const made = await payments(23);
    const seen: string[] = [];
    for await (const pi of suite.stripe.paymentIntents.list({ limit: 10 })) seen.push(pi.id);
    expect(seen).toEqual(made.map((p) => p.id).reverse());
    const charges = await suite.stripe.charges.list({ limit: 100 }).autoPagingToArray({ limit: 1000 });
    expect(charges).toHaveLength(23);
    const requests = suite.sim.control.requests({ method: 'GET', path: '/v1/payment_intents' });
    expect(requests).toHaveLength(3);
    expect(requests[1]?.query).toMatchObject({ starting_after: seen[9] });
  });

  it('filters by created range, and events by type (with a wildcard) and types[]', async () => {
    const made = await payments(4);
    const from = made[1]?.created as number;
    const window = await suite.stripe.paymentIntents.list({ created: { gte: from, lt: from + 2 } });
    expect(window.data.map((p) => p.id)).toEqual([made[2]?.id, made[1]?.id]);
    const exact = await suite.stripe.paymentIntents.list({ created: from });
    expect(exact.data.map((p) => p.id)).toEqual([made[1]?.id]);

    const succeeded = await suite.stripe.events.list({ type: 'payment_intent.succeeded', limit: 100 });
    expect(succeeded.data).toHaveLength(4);
    const intentEvents = await suite.stripe.events.list({ type: 'payment_intent.*', limit: 100 });
    expect(new Set(intentEvents.data.map((e) => e.type))).toEqual(
      new Set(['payment_intent.created', 'payment_intent.succeeded']),
    );
    const both = await suite.stripe.events.list({
      types: ['charge.succeeded', 'payment_intent.created'],
      limit: 100,
    });
    expect(both.data).toHaveLength(8);
  });

  it('refuses a bad limit or an unknown cursor with a 4xx naming it', async () => {
    expect(await stripeFailure(suite.stripe.paymentIntents.list({ limit: 0 }))).toMatchObject({
      statusCode: 400,
      param: 'limit',
    });
    expect(await stripeFailure(suite.stripe.paymentIntents.list({ limit: 101 }))).toMatchObject({
      param: 'limit',
    });
    expect(
      await stripeFailure(suite.stripe.paymentIntents.list({ starting_after: 'pi_gone' })),
    ).toMatchObject({
      statusCode: 404,
      param: 'starting_after',
    });
  });

  it('expands ids into objects, inside lists too, and refuses a path that is not expandable', async () => {
    const customer = await suite.stripe.customers.create({ email: 'exp@example.com' });
    const pi = await suite.stripe.paymentIntents.create(
      { ...eur(1200), customer: customer.id, payment_method: 'pm_card_visa', confirm: true },
      { idempotencyKey: 'expand-1' },
    );
    const one = await suite.stripe.paymentIntents.retrieve(pi.id, {
      expand: ['customer', 'latest_charge.payment_method'],
    });
    expect((one.customer as Stripe.Customer).email).toBe('exp@example.com');
    expect(
      ((one.latest_charge as Stripe.Charge).payment_method as unknown as Stripe.PaymentMethod).object,
    ).toBe('payment_method');
    const listed = await suite.stripe.paymentIntents.list({ expand: ['data.customer'] });
    expect(listed.data[0]?.customer).toMatchObject({ object: 'customer', id: customer.id });
    expect(
      await stripeFailure(suite.stripe.paymentIntents.retrieve(pi.id, { expand: ['colour'] })),
    ).toMatchObject({
      statusCode: 400,
      param: 'expand',
    });
    // A replay under the same key keeps the expansion the first request asked for (none here).
    const replay = await suite.stripe.paymentIntents.create(
      { ...eur(1200), customer: customer.id, payment_method: 'pm_card_visa', confirm: true },
      { idempotencyKey: 'expand-1' },
    );
    expect(replay.customer).toBe(customer.id);
  });
});
