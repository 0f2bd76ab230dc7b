import type Stripe from 'stripe';
import { beforeEach, describe, expect, it } from 'vitest';
import { stripeFailure, useStripe } from '../testing/stripe-client.js';

const suite = useStripe();
let reader: Stripe.Terminal.Reader;

beforeEach(async () => {
  const location = await suite.stripe.terminal.locations.create({
    display_name: 'Downtown venue',
    address: { line1: 'Fő utca 1', city: 'Budapest', postal_code: '1011', country: 'HU' },
  });
  reader = await suite.stripe.terminal.readers.create({
    registration_code: 'simulated-wpe',
    label: 'Front desk',
    location: location.id,
  });
});

const walkIn = (amount = 3000, capture_method: 'manual' | 'automatic' = 'manual') =>
  suite.stripe.paymentIntents.create({
    amount,
    currency: 'eur',
    allowed_payment_method_types: ['card_present'],
    capture_method,
  });
const tap = (number?: string) =>
  suite.stripe.testHelpers.terminal.readers.presentPaymentMethod(
    reader.id,
    number ? { card_present: { number } } : {},
  );
const typesOf = () => suite.sim.store.events.all().map((e) => e.type);

describe('Terminal, server-driven with a simulated reader', () => {
  it('registers a simulated WisePOS E, online, at its location', async () => {
    expect(reader).toMatchObject({
      object: 'terminal.reader',
      device_type: 'simulated_wisepos_e',
      status: 'online',
      label: 'Front desk',
      action: null,
    });
    expect((await suite.stripe.terminal.readers.list({ status: 'online' })).data.map((r) => r.id)).toEqual([
      reader.id,
    ]);
    expect(
      await stripeFailure(suite.stripe.terminal.readers.create({ registration_code: 'purple-cat-dog' })),
    ).toMatchObject({
      statusCode: 400,
      param: 'registration_code',
    });
  });

  it('process_payment_intent then a tapped card: action succeeded, payment authorised, then captured', async () => {
    const pi = await walkIn();
    const processing = await suite.stripe.terminal.readers.processPaymentIntent(reader.id, {
      payment_intent: pi.id,
    });
    expect(processing.action).toMatchObject({
      type: 'process_payment_intent',
      status: 'in_progress',
      process_payment_intent: { payment_intent: pi.id },
    });
    const busy = await stripeFailure(
      suite.stripe.terminal.readers.processPaymentIntent(reader.id, { payment_intent: pi.id }),
    );
    expect(busy).toMatchObject({ statusCode: 400, code: 'terminal_reader_busy' });
    const done = await tap();
    expect(done.action).toMatchObject({ status: 'succeeded', failure_code: null });
    const authorised = await suite.stripe.paymentIntents.retrieve(pi.id, { expand: ['latest_charge'] });
    expect(authorised.status).toBe('requires_capture');
    const charge = authorised.latest_charge as Stripe.Charge;
    expect(charge.payment_method_details).toMatchObject({
      type: 'card_present',
      card_present: { last4: '4242' },
    });
    expect(charge.payment_method_details?.card_present?.capture_before).toBe(charge.created + 5 * 24 * 3600);
    expect((await suite.stripe.paymentIntents.capture(pi.id)).status).toBe('succeeded');
    expect(typesOf()).toContain('terminal.reader.action_succeeded');
  });

  it('a declined card fails the action; the same PaymentIntent is then paid with another card', async () => {
    const pi = await walkIn(2000, 'automatic');
    await suite.stripe.terminal.readers.processPaymentIntent(reader.id, { payment_intent: pi.id });
    const failed = await tap('4000000000000002');
    expect(failed.action).toMatchObject({
      status: 'failed',
      failure_code: 'card_declined',
      failure_message: 'Your card was declined.',
    });
    expect(await suite.stripe.paymentIntents.retrieve(pi.id)).toMatchObject({
      status: 'requires_payment_method',
      last_payment_error: { code: 'card_declined' },
    });
    const event = suite.sim.store.events.all().find((e) => e.type === 'terminal.reader.action_failed');
    expect(event?.data.object).toMatchObject({ action: { failure_code: 'card_declined' } });
    await suite.stripe.terminal.readers.processPaymentIntent(reader.id, { payment_intent: pi.id });
    await tap('5555555555554444');
    expect(await suite.stripe.paymentIntents.retrieve(pi.id)).toMatchObject({
      status: 'succeeded',
      amount_received: 2000,
    });
  });

  it('a tip presented on the reader is added to the amount, replacing the tip of a declined tap', async () => {
    const pi = await walkIn(3000, 'automatic');
    await suite.stripe.terminal.readers.processPaymentIntent(reader.id, { payment_intent: pi.id });
    await suite.stripe.testHelpers.terminal.readers.presentPaymentMethod(reader.id, {
      amount_tip: 500,
      card_present: { number: '4000000000000002' },
    });
    await suite.stripe.terminal.readers.processPaymentIntent(reader.id, { payment_intent: pi.id });
    await suite.stripe.testHelpers.terminal.readers.presentPaymentMethod(reader.id, { amount_tip: 300 });
    expect(await suite.stripe.paymentIntents.retrieve(pi.id)).toMatchObject({
      amount: 3300,
      amount_received: 3300,
      amount_details: { tip: { amount: 300 } },
    });
  });

  it('cancel_action aborts the in-progress action; the customer can cancel on the reader too', async () => {
    const pi = await walkIn();
    await suite.stripe.terminal.readers.processPaymentIntent(reader.id, { payment_intent: pi.id });
    const canceled = (await suite.stripe.terminal.readers.cancelAction(reader.id)) as Stripe.Terminal.Reader;
    expect(canceled.action).toMatchObject({ status: 'failed', failure_code: 'canceled' });
    expect(await stripeFailure(suite.stripe.terminal.readers.cancelAction(reader.id))).toMatchObject({
      statusCode: 400,
    });
    await suite.stripe.terminal.readers.processPaymentIntent(reader.id, { payment_intent: pi.id });
    expect(suite.sim.control.customerCancelsOnReader(reader.id).action).toMatchObject({
      failure_code: 'customer_canceled',
    });
    expect(typesOf()).toContain('terminal.reader.action_failed');
    expect((await suite.stripe.paymentIntents.retrieve(pi.id)).status).toBe('requires_payment_method');
  });

  it('refuses an offline reader, a timed-out command, a PaymentIntent without card_present or already paid', async () => {
    const pi = await walkIn();
    suite.sim.control.setReaderStatus(reader.id, 'offline');
    expect(
      await stripeFailure(
        suite.stripe.terminal.readers.processPaymentIntent(reader.id, { payment_intent: pi.id }),
      ),
    ).toMatchObject({
      code: 'terminal_reader_offline',
    });
    suite.sim.control.setReaderStatus(reader.id, 'online');
    suite.sim.control.timeoutReaderCommands(reader.id, 1);
    expect(
      await stripeFailure(
        suite.stripe.terminal.readers.processPaymentIntent(reader.id, { payment_intent: pi.id }),
      ),
    ).toMatchObject({
      code: 'terminal_reader_timeout',
    });
    const online = await suite.stripe.paymentIntents.create({
      amount: 3000,
      currency: 'eur',
      allowed_payment_method_types: ['card'],
    });
    expect(
      await stripeFailure(
        suite.stripe.terminal.readers.processPaymentIntent(reader.id, { payment_intent: online.id }),
      ),
    ).toMatchObject({
      param: 'payment_intent',
    });
    await suite.stripe.terminal.readers.processPaymentIntent(reader.id, { payment_intent: pi.id });
    await tap();
    expect(
      await stripeFailure(
        suite.stripe.terminal.readers.processPaymentIntent(reader.id, { payment_intent: pi.id }),
      ),
    ).toMatchObject({
      code: 'intent_invalid_state',
    });
    expect(await stripeFailure(tap())).toMatchObject({ statusCode: 400 });
  });
});
