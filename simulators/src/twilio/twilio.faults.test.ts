import twilio from 'twilio';
import { afterEach, describe, expect, it } from 'vitest';
import { callControl } from '../testing/control-client.js';
import { restException, startWebhookReceiver, startWithTwilioClient } from '../testing/twilio-client.js';
import { simulatorRequestClient } from './twilio.request-client.js';
import type { TwilioSimulator } from './twilio.simulator.js';

const FROM = '+15005550006';
const TO = '+14155550100';
const MESSAGES = (sim: TwilioSimulator) => `/2010-04-01/Accounts/${sim.accountSid}/Messages.json`;

let sim: TwilioSimulator;
afterEach(async () => {
  await sim.close();
});

const control = (method: string, path: string, body?: unknown) =>
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers field by field
  callControl<any>(sim.url, method, path, body);

describe('Twilio simulator: faults, limits and the control API', () => {
  it('answers injected 5xx and 429 with Twilio bodies; the SDK’s autoRetry retries only the 429', async () => {
    let client: twilio.Twilio;
    ({ sim, client } = await startWithTwilioClient({}, { autoRetry: true, maxRetries: 3 }));
    sim.control.faults.fail(429, { count: 2 });
    const sent = await client.messages.create({ to: TO, from: FROM, body: 'after two 429s' });
    expect(sent.status).toBe('queued');
    expect(sim.control.requests({ method: 'POST' }).map((r) => r.status)).toEqual([429, 429, 201]);
    sim.control.faults.fail(503);
    expect(await restException(client.messages.create({ to: TO, from: FROM, body: 'x' }))).toMatchObject({
      status: 503,
      code: 20503,
    });
    sim.control.faults.fail(500);
    expect((await restException(client.messages.create({ to: TO, from: FROM, body: 'x' }))).code).toBe(20500);
    expect(sim.control.messages()).toHaveLength(1);
  });

  it('refuses requests past the concurrency limit with 429 20429, unprocessed', async () => {
    let client: twilio.Twilio;
    ({ sim, client } = await startWithTwilioClient({ maxConcurrentRequests: 2 }));
    sim.control.faults.slow(150);
    const results = await Promise.allSettled(
      [1, 2, 3].map((i) => client.messages.create({ to: TO, from: FROM, body: `m${i}` })),
    );
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({ status: 429, code: 20429 });
    expect(sim.control.messages()).toHaveLength(2);
  });

  it('keeps the SDK to its https socket limits over plain http (20 by default, here 2)', async () => {
    ({ sim } = await startWithTwilioClient());
    let connections = 0;
    sim.app.server.on('connection', () => {
      connections += 1;
    });
    const client = twilio(sim.accountSid, sim.authToken, {
      httpClient: simulatorRequestClient(twilio.RequestClient, sim.url, { maxSockets: 2 }),
    });
    sim.control.faults.slow(50);
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => client.messages.create({ to: TO, from: FROM, body: `${i}` })),
    );
    expect(sim.control.messages()).toHaveLength(8);
    expect(connections).toBe(2);
  });

  it('drops the connection when down, and does the work of a call the client timed out on', async () => {
    ({ sim } = await startWithTwilioClient());
    const impatient = twilio(sim.accountSid, sim.authToken, {
      httpClient: simulatorRequestClient(twilio.RequestClient, sim.url, { timeout: 100 }),
    });
    sim.control.faults.down('close');
    await expect(impatient.messages.create({ to: TO, from: FROM, body: 'x' })).rejects.toMatchObject({
      code: 'ECONNRESET',
    });
    sim.control.faults.up();
    sim.control.faults.slow(400);
    await expect(
      impatient.messages.create({ to: TO, from: FROM, body: 'sent twice?' }),
    ).rejects.toMatchObject({
      code: 'ECONNABORTED',
    });
    // The message exists although the client saw a timeout: a blind retry would text twice.
    expect(sim.control.messages().map((m) => m.body)).toEqual(['sent twice?']);
  });

  it('is driven over HTTP: outcomes, inbound, timing, faults, limits, numbers, reset; bad input named', async () => {
    ({ sim } = await startWithTwilioClient({ timing: 'manual' }));
    const client = twilio(sim.accountSid, sim.authToken, {
      httpClient: simulatorRequestClient(twilio.RequestClient, sim.url),
    });
    const receiver = await startWebhookReceiver();
    try {
      expect(
        (await control('PUT', `/outcomes/${encodeURIComponent(TO)}`, { outcome: 'landline' })).body,
      ).toEqual({
        number: TO,
        outcome: { kind: 'carrier_error', status: 'undelivered', errorCode: 30006 },
      });
      const message = await client.messages.create({
        to: TO,
        from: FROM,
        body: 'x',
        statusCallback: `${receiver.url}/s`,
      });
      expect((await control('POST', '/advance', { sid: message.sid })).body).toEqual({ moved: 1 });
      expect((await control('PUT', '/timing', { timing: 'instant' })).body).toEqual({ timing: 'instant' });
      expect((await control('POST', '/settle')).status).toBe(204);
      expect((await control('GET', `/messages/${message.sid}`)).body).toMatchObject({
        status: 'undelivered',
        error_code: 30006,
      });
      const deliveries = (await control('GET', '/webhooks?kind=status_callback')).body.deliveries;
      expect(deliveries.map((d: { params: { MessageStatus: string } }) => d.params.MessageStatus)).toEqual([
        'sending',
        'sent',
        'undelivered',
      ]);
      await control('PUT', `/numbers/${encodeURIComponent(FROM)}`, { sms_url: `${receiver.url}/sms` });
      const inbound = await control('POST', '/inbound', { from: TO, to: FROM, body: 'STOP' });
      expect(inbound.body).toMatchObject({ keyword: 'STOP', webhook: { status: 200, kind: 'inbound' } });
      expect((await control('GET', '/opt-outs')).body).toEqual({ opt_outs: [{ phone: TO, sender: FROM }] });
      expect(
        (await control('POST', '/faults', { fail: { status: 500, count: 1 } })).body.queued,
      ).toHaveLength(1);
      expect((await restException(client.messages.list())).status).toBe(500);
      expect((await control('PUT', '/limits', { max_concurrent_requests: 5 })).body).toEqual({
        max_concurrent_requests: 5,
      });
      expect(
        (await control('GET', '/requests')).body.requests.map(
          (r: { method: string; path: string }) => r.path,
        ),
      ).toEqual([MESSAGES(sim), MESSAGES(sim)]);

      const bad: Array<[string, string, unknown, RegExp]> = [
        ['PUT', `/outcomes/${encodeURIComponent(TO)}`, { outcome: 'vanished' }, /^outcome: one of/],
        ['PUT', '/outcomes/4155550100', { outcome: 'landline' }, /^number: E\.164/],
        ['PUT', '/outcomes/%2B14155550100', { outcome: { kind: 'reject', code: 99 } }, /^outcome\.code/],
        ['PUT', '/timing', { timing: { sendingMs: -1, sentMs: 0, finalMs: 0 } }, /^timing\.sendingMs/],
        ['POST', '/inbound', { from: TO, to: FROM }, /^body: a string/],
        ['POST', '/inbound', { from: TO, to: FROM, body: 'x', media_urls: 'x' }, /^media_urls/],
        ['PUT', `/numbers/${encodeURIComponent(FROM)}`, { sms_url: 'not a url' }, /^sms_url/],
        ['PUT', '/limits', { max_concurrent_requests: 0 }, /^max_concurrent_requests/],
        ['POST', '/faults', { fail: { status: 200 } }, /400-599/],
        ['GET', '/messages?direction=sideways', undefined, /^direction/],
      ];
      for (const [method, path, body, message] of bad) {
        const answer = await control(method, path, body);
        expect([path, answer.status]).toEqual([path, 400]);
        expect(answer.body.message).toMatch(message);
      }
      expect((await control('POST', '/reset')).status).toBe(204);
      expect((await control('GET', '/messages')).body).toEqual({ messages: [] });
      expect((await control('GET', '/opt-outs')).body).toEqual({ opt_outs: [] });
    } finally {
      await receiver.close();
    }
  });
});
