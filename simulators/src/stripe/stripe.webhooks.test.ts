import Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  cardPayment,
  startWebhookReceiver,
  stripeFailure,
  useStripe,
  type WebhookReceiver,
} from '../testing/stripe-client.js';

const suite = useStripe({ webhooks: { retryDelaysMs: [50, 100, 200], timeoutMs: 2000 } });
let receiver: WebhookReceiver;
const SECRET = 'whsec_clubos_test_secret_0123456789';

beforeEach(async () => {
  receiver = await startWebhookReceiver();
});
afterEach(async () => {
  await receiver.close();
});

const verify = (hook: { body: string; headers: Record<string, unknown> }, secret = SECRET) =>
  suite.stripe.webhooks.constructEvent(hook.body, String(hook.headers['stripe-signature']), secret);
const pay = (key?: string) =>
  suite.stripe.paymentIntents.create(cardPayment(2500), key ? { idempotencyKey: key } : {});

describe('webhooks', () => {
  it('signs each event as Stripe does: constructEvent accepts it, a tampered body or wrong secret is refused', async () => {
    suite.sim.control.addWebhookEndpoint({
      url: receiver.url,
      events: ['payment_intent.succeeded'],
      secret: SECRET,
    });
    const pi = await pay('booking-5-deposit');
    await suite.sim.control.flushWebhooks();
    expect(receiver.received).toHaveLength(1);
    const hook = receiver.received[0] as (typeof receiver.received)[0];
    expect(hook.headers['stripe-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(hook.headers['content-type']).toBe('application/json; charset=utf-8');
    const event = verify(hook);
    expect(event).toMatchObject({
      object: 'event',
      type: 'payment_intent.succeeded',
      livemode: false,
      pending_webhooks: 1,
      data: { object: { id: pi.id, status: 'succeeded' } },
      request: { id: pi.lastResponse.requestId, idempotency_key: 'booking-5-deposit' },
    });
    expect(await suite.stripe.events.retrieve(event.id)).toMatchObject({ id: event.id, pending_webhooks: 0 });
    expect(() => verify({ ...hook, body: hook.body.replace('"succeeded"', '"canceled"') })).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
    expect(() => verify(hook, 'whsec_someone_else')).toThrow(Stripe.errors.StripeSignatureVerificationError);
    expect(() =>
      suite.stripe.webhooks.constructEvent(
        JSON.parse(hook.body),
        String(hook.headers['stripe-signature']),
        SECRET,
      ),
    ).toThrow();
  });

  it('registers endpoints through the API, the whsec_ secret only in the creation reply; "*" gets every event', async () => {
    const created = await suite.stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['*'] });
    expect(created.secret).toMatch(/^whsec_/);
    expect((await suite.stripe.webhookEndpoints.retrieve(created.id)).secret).toBeUndefined();
    await suite.stripe.customers.create({ email: 'hook@example.com' });
    await suite.sim.control.flushWebhooks();
    expect(receiver.received.map((h) => verify(h, created.secret as string).type)).toEqual([
      'customer.created',
    ]);
    await suite.stripe.webhookEndpoints.update(created.id, { disabled: true });
    await suite.stripe.customers.create({ email: 'quiet@example.com' });
    await suite.sim.control.flushWebhooks();
    expect(receiver.received).toHaveLength(1);
    expect(
      await stripeFailure(suite.stripe.webhookEndpoints.create({ url: 'not a url', enabled_events: ['*'] })),
    ).toMatchObject({
      param: 'url',
    });
    expect(await suite.stripe.webhookEndpoints.del(created.id)).toMatchObject({ deleted: true });
  });

  it('retries a failing receiver with backoff (a redirect counts as failure), then gives up', async () => {
    suite.sim.control.addWebhookEndpoint({ url: receiver.url, events: ['customer.created'], secret: SECRET });
    const statuses = [500, 302, 200];
    receiver.respond = () => statuses.shift() ?? 200;
    await suite.stripe.customers.create({ email: 'retry@example.com' });
    await suite.sim.control.flushWebhooks();
    const [delivery] = suite.sim.control.webhookDeliveries();
    expect(delivery?.state).toBe('delivered');
    expect(delivery?.attempts.map((a) => a.status)).toEqual([500, 302, 200]);
    const times = receiver.received.map((h) => h.at);
    expect((times[1] as number) - (times[0] as number)).toBeGreaterThanOrEqual(45);
    expect((times[2] as number) - (times[1] as number)).toBeGreaterThanOrEqual(95);
    expect(new Set(receiver.received.map((h) => verify(h).id)).size).toBe(1);

    receiver.respond = () => 503;
    await suite.stripe.customers.create({ email: 'never@example.com' });
    await suite.sim.control.flushWebhooks();
    const failed = suite.sim.control.webhookDeliveries().at(-1);
    expect(failed?.state).toBe('failed');
    expect(failed?.attempts).toHaveLength(4);
    expect((await suite.stripe.events.list({ delivery_success: false })).data.map((e) => e.type)).toEqual([
      'customer.created',
    ]);
  });

  it('flushing does not wait for production-like retry delays', async () => {
    suite.sim.control.setWebhookTimings({ retryDelaysMs: [60 * 60_000] });
    suite.sim.control.addWebhookEndpoint({ url: receiver.url, events: ['customer.created'], secret: SECRET });
    receiver.respond = () => 500;
    await suite.stripe.customers.create({ email: 'later@example.com' });
    const started = Date.now();
    await suite.sim.control.flushWebhooks(300);
    expect(Date.now() - started).toBeLessThan(5_000);
    const [delivery] = suite.sim.control.webhookDeliveries();
    expect(delivery).toMatchObject({ state: 'pending', attempts: [{ status: 500 }] });
    expect(delivery?.next_attempt_at).toBeGreaterThan(Date.now() + 59 * 60_000);
  });

  it('a receiver slower than the timeout counts as a failed attempt', async () => {
    suite.sim.control.addWebhookEndpoint({ url: receiver.url, events: ['customer.created'], secret: SECRET });
    suite.sim.control.setWebhookTimings({ timeoutMs: 300 });
    let first = true;
    receiver.respond = async () => {
      if (first) await new Promise((resolve) => setTimeout(resolve, 1000));
      first = false;
      return 200;
    };
    await suite.stripe.customers.create({ email: 'slow@example.com' });
    await suite.sim.control.flushWebhooks();
    const [delivery] = suite.sim.control.webhookDeliveries();
    expect(delivery?.attempts[0]).toMatchObject({ status: null, error: expect.stringContaining('300 ms') });
    expect(delivery?.state).toBe('delivered');
  });

  it('can be held and released late or in reverse order, duplicated, or dropped', async () => {
    suite.sim.control.addWebhookEndpoint({
      url: receiver.url,
      events: ['payment_intent.created', 'payment_intent.succeeded'],
      secret: SECRET,
    });
    suite.sim.control.webhookBehaviour({ hold: true });
    await pay();
    await suite.sim.control.flushWebhooks();
    expect(receiver.received).toEqual([]);
    suite.sim.control.webhookBehaviour({ hold: false });
    expect(await suite.sim.control.releaseWebhooks('reverse')).toBe(2);
    expect(receiver.received.map((h) => verify(h).type)).toEqual([
      'payment_intent.succeeded',
      'payment_intent.created',
    ]);

    receiver.received.length = 0;
    suite.sim.control.webhookBehaviour({ duplicate: true });
    await pay();
    await suite.sim.control.flushWebhooks();
    const ids = receiver.received.map((h) => verify(h).id);
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(2);

    receiver.received.length = 0;
    suite.sim.control.webhookBehaviour({ duplicate: false, drop: true });
    await pay();
    await suite.sim.control.flushWebhooks();
    expect(receiver.received).toEqual([]);
    expect(suite.sim.control.webhookDeliveries().filter((d) => d.state === 'dropped')).toHaveLength(2);

    suite.sim.control.webhookBehaviour({ drop: false, delayMs: 150 });
    const started = Date.now();
    await pay();
    await suite.sim.control.flushWebhooks();
    expect((receiver.received[0]?.at ?? 0) - started).toBeGreaterThanOrEqual(140);
  });

  it('signs with both secrets while one is rolled', async () => {
    const { endpoint } = suite.sim.control.addWebhookEndpoint({
      url: receiver.url,
      events: ['customer.created'],
      secret: SECRET,
    });
    const next = suite.sim.control.rollWebhookSecret(endpoint.id, 'whsec_next_secret_abcdef');
    await suite.stripe.customers.create({ email: 'roll@example.com' });
    await suite.sim.control.flushWebhooks();
    const hook = receiver.received[0] as (typeof receiver.received)[0];
    expect(String(hook.headers['stripe-signature']).match(/v1=/g)).toHaveLength(2);
    expect(verify(hook).type).toBe('customer.created');
    expect(verify(hook, next).type).toBe('customer.created');
    suite.sim.control.expireOldWebhookSecrets(endpoint.id);
    await suite.stripe.customers.create({ email: 'rolled@example.com' });
    await suite.sim.control.flushWebhooks();
    expect(() => verify(receiver.received[1] as (typeof receiver.received)[0])).toThrow();
  });

  it('is driven over HTTP by the control API', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${suite.sim.url}/__control${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const created = await post('/webhook_endpoints', {
      url: receiver.url,
      events: ['customer.created'],
      secret: SECRET,
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ object: 'webhook_endpoint', secret: SECRET });
    expect((await post('/webhook_endpoints', { url: receiver.url, secret: 'nope' })).status).toBe(400);
    expect((await post('/webhooks', { hold: true, colour: 'red' })).status).toBe(400);
    expect((await post('/webhooks', { hold: true })).status).toBe(200);
    await suite.stripe.customers.create({ email: 'http@example.com' });
    expect(await (await post('/webhooks/release', { order: 'fifo' })).json()).toEqual({ released: 1 });
    const log = await (await fetch(`${suite.sim.url}/__control/webhooks/deliveries?flush=true`)).json();
    expect(log).toMatchObject({ deliveries: [{ event_type: 'customer.created', state: 'delivered' }] });
  });
});
