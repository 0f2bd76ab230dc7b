import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { cardPayment, eur, stripeFailure, useStripe } from '../testing/stripe-client.js';

const suite = useStripe({ refundFailureDelayMs: 20 });

const paid = (amount: number, token = 'pm_card_visa') =>
  suite.stripe.paymentIntents.create(cardPayment(amount, token));

describe('refunds', () => {
  it('partial refunds by policy, then the remainder, never above what was captured', async () => {
    const pi = await paid(4000);
    const first = await suite.stripe.refunds.create({
      payment_intent: pi.id,
      amount: 1000,
      reason: 'requested_by_customer',
      metadata: { policy: 'late-cancel-75' },
    });
    expect(first).toMatchObject({
      object: 'refund',
      amount: 1000,
      status: 'succeeded',
      charge: pi.latest_charge,
      payment_intent: pi.id,
    });
    const tooMuch = await stripeFailure(suite.stripe.refunds.create({ payment_intent: pi.id, amount: 3500 }));
    expect(tooMuch).toMatchObject({ statusCode: 400, param: 'amount', code: 'amount_too_large' });
    expect((tooMuch.raw as { message: string }).message).toBe(
      'Refund amount (35.00 EUR) is greater than unrefunded amount on charge (30.00 EUR)',
    );
    const rest = await suite.stripe.refunds.create({ charge: pi.latest_charge as string });
    expect(rest.amount).toBe(3000);
    expect(await suite.stripe.charges.retrieve(pi.latest_charge as string)).toMatchObject({
      amount_refunded: 4000,
      refunded: true,
    });
    const none = await stripeFailure(suite.stripe.refunds.create({ payment_intent: pi.id }));
    expect(none).toMatchObject({ code: 'charge_already_refunded' });

    const listed = await suite.stripe.refunds.list({ payment_intent: pi.id });
    expect(listed.data.map((r) => r.id)).toEqual([rest.id, first.id]);
    const charged = suite.sim.store.events.all().filter((e) => e.type === 'charge.refunded');
    expect(charged.map((e) => (e.data.object as Stripe.Charge).amount_refunded).reverse()).toEqual([
      1000, 4000,
    ]);
    expect(charged.at(-1)?.data.previous_attributes).toEqual({ amount_refunded: 0, refunded: false });
  });

  it('a partially captured payment refunds only what was captured', async () => {
    const pi = await suite.stripe.paymentIntents.create({ ...cardPayment(5000), capture_method: 'manual' });
    const uncaptured = await stripeFailure(suite.stripe.refunds.create({ payment_intent: pi.id }));
    expect(uncaptured).toMatchObject({ statusCode: 400, param: 'payment_intent' });
    await suite.stripe.paymentIntents.capture(pi.id, { amount_to_capture: 2000 });
    expect((await suite.stripe.refunds.create({ payment_intent: pi.id })).amount).toBe(2000);
  });

  it('refuses a request naming neither or both of payment_intent and charge, or an unpaid intent', async () => {
    expect(await stripeFailure(suite.stripe.refunds.create({}))).toMatchObject({
      code: 'parameter_missing',
      param: 'payment_intent',
    });
    const pi = await paid(1000);
    expect(
      await stripeFailure(
        suite.stripe.refunds.create({ payment_intent: pi.id, charge: pi.latest_charge as string }),
      ),
    ).toMatchObject({ statusCode: 400 });
    const open = await suite.stripe.paymentIntents.create(eur(1000));
    expect(await stripeFailure(suite.stripe.refunds.create({ payment_intent: open.id }))).toMatchObject({
      param: 'payment_intent',
    });
    expect(await stripeFailure(suite.stripe.refunds.create({ payment_intent: 'pi_nope' }))).toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
    });
  });

  it('on the refund-failure card the refund turns failed afterwards, with refund.updated and refund.failed', async () => {
    const pi = await paid(3000, 'pm_card_refundFail');
    const refund = await suite.stripe.refunds.create({ payment_intent: pi.id });
    expect(refund.status).toBe('succeeded');
    await expect.poll(async () => (await suite.stripe.refunds.retrieve(refund.id)).status).toBe('failed');
    expect(await suite.stripe.refunds.retrieve(refund.id)).toMatchObject({
      failure_reason: 'expired_or_canceled_card',
    });
    expect(await suite.stripe.charges.retrieve(pi.latest_charge as string)).toMatchObject({
      amount_refunded: 0,
      refunded: false,
    });
    const types = suite.sim.store.events.all().map((e) => e.type);
    expect(types.slice(0, 2)).toEqual(['refund.failed', 'refund.updated']);
    const again = await suite.stripe.refunds.create({ payment_intent: pi.id, amount: 500 });
    expect(again.amount).toBe(500);
  });

  it('updates metadata, and refuses to cancel a refund that already succeeded', async () => {
    const pi = await paid(1000);
    const refund = await suite.stripe.refunds.create({ payment_intent: pi.id, metadata: { a: '1', b: '2' } });
    expect((await suite.stripe.refunds.update(refund.id, { metadata: { a: '', c: '3' } })).metadata).toEqual({
      b: '2',
      c: '3',
    });
    expect(await stripeFailure(suite.stripe.refunds.cancel(refund.id))).toMatchObject({ statusCode: 400 });
  });
});
