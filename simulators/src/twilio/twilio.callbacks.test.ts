import twilio from 'twilio';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { restException, startWebhookReceiver, startWithTwilioClient } from '../testing/twilio-client.js';
import type { TwilioSimulator, TwilioSimulatorOptions } from './twilio.simulator.js';

const FROM = '+15005550006';
const TO = '+14155550100';
const SERVICE = `MG${'2'.repeat(32)}`;

let sim: TwilioSimulator;
let client: twilio.Twilio;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

async function start(options: TwilioSimulatorOptions = {}) {
  ({ sim, client } = await startWithTwilioClient({
    phoneNumbers: [{ number: FROM }, { number: '+15005550007' }],
    messagingServices: [{ sid: SERVICE, numbers: ['+15005550007'] }],
    ...options,
  }));
}

beforeEach(async () => {
  receiver = await startWebhookReceiver();
});
afterEach(async () => {
  await sim.close();
  await receiver.close();
});

/** The callbacks one message got, as `[status, ErrorCode]`. */
function callbacksOf(sid: string): Array<[string | undefined, string | undefined]> {
  return receiver.received
    .filter((h) => h.params.MessageSid === sid)
    .map((h) => [h.params.MessageStatus, h.params.ErrorCode]);
}

describe('Twilio simulator: message lifecycle and signed status callbacks', () => {
  it('moves queued → sending → sent → delivered, one signed callback per change after the first', async () => {
    await start();
    const callback = `${receiver.url}/webhooks/twilio/status?booking=b-1&kind=reminder`;
    const message = await client.messages.create({
      to: TO,
      from: FROM,
      body: 'Reminder',
      statusCallback: callback,
    });
    await sim.control.settled();
    expect(callbacksOf(message.sid)).toEqual([
      ['sending', undefined],
      ['sent', undefined],
      ['delivered', undefined],
    ]);
    for (const hook of receiver.received) {
      expect(hook.url).toBe(callback);
      expect(hook.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(hook.headers['i-twilio-idempotency-token']).toBeTruthy();
      const signature = String(hook.headers['x-twilio-signature']);
      // Verified by the SDK's own validator, as our cloud will do it; any other token fails.
      expect(twilio.validateRequest(sim.authToken, signature, hook.url, hook.params)).toBe(true);
      expect(twilio.validateRequest('another-token', signature, hook.url, hook.params)).toBe(false);
      expect(twilio.validateRequest(sim.authToken, signature, hook.url, { ...hook.params, To: FROM })).toBe(
        false,
      );
    }
    expect(receiver.received[2]?.params).toMatchObject({
      AccountSid: sim.accountSid,
      ApiVersion: '2010-04-01',
      From: FROM,
      To: TO,
      MessageSid: message.sid,
      SmsSid: message.sid,
      MessageStatus: 'delivered',
      SmsStatus: 'delivered',
    });
    const fetched = await client.messages(message.sid).fetch();
    expect(fetched.status).toBe('delivered');
    expect(fetched.price).toBe('-0.00790');
    expect(fetched.dateSent).toBeInstanceOf(Date);
  });

  it('ends landline and unreachable numbers undelivered with 30006/30003, failures failed, and no-receipt at sent', async () => {
    await start({ outcomes: { '+14155550101': 'landline', '+14155550102': 'unreachable' } });
    sim.control.setOutcome('+14155550103', { kind: 'carrier_error', status: 'failed', errorCode: 30008 });
    sim.control.setOutcome('+14155550104', 'no_receipt');
    const statusCallback = `${receiver.url}/status`;
    const send = (to: string) => client.messages.create({ to, from: FROM, body: 'x', statusCallback });
    const [landline, unreachable, failed, silent] = await Promise.all(
      ['+14155550101', '+14155550102', '+14155550103', '+14155550104'].map(send),
    );
    await sim.control.settled();
    expect(callbacksOf(landline!.sid)).toEqual([
      ['sending', undefined],
      ['sent', undefined],
      ['undelivered', '30006'],
    ]);
    expect(callbacksOf(unreachable!.sid).at(-1)).toEqual(['undelivered', '30003']);
    expect(callbacksOf(failed!.sid)).toEqual([['failed', '30008']]);
    expect(callbacksOf(silent!.sid)).toEqual([
      ['sending', undefined],
      ['sent', undefined],
    ]);
    expect(await client.messages(landline!.sid).fetch()).toMatchObject({
      status: 'undelivered',
      errorCode: 30006,
      errorMessage: 'Landline or unreachable carrier',
    });
    expect((await client.messages(failed!.sid).fetch()).price).toBeNull();
  });

  it('refuses numbers set to reject, and Twilio’s magic test numbers, at create time', async () => {
    await start({ outcomes: { '+14155550105': 'opted_out' } });
    expect(
      await restException(client.messages.create({ to: '+14155550105', from: FROM, body: 'x' })),
    ).toMatchObject({
      status: 400,
      code: 21610,
      message: 'Attempt to send to unsubscribed recipient',
    });
    const magic: Array<[string, number]> = [
      ['+15005550001', 21211],
      ['+15005550002', 21612],
      ['+15005550003', 21408],
      ['+15005550004', 21610],
      ['+15005550009', 21614],
    ];
    for (const [to, code] of magic) {
      expect((await restException(client.messages.create({ to, from: FROM, body: 'x' }))).code).toBe(code);
    }
    expect(sim.control.messages()).toEqual([]);
  });

  it('holds messages in manual timing until advanced, one status at a time', async () => {
    await start({ timing: 'manual' });
    const statusCallback = `${receiver.url}/status`;
    const a = await client.messages.create({ to: TO, from: FROM, body: 'a', statusCallback });
    const b = await client.messages.create({ to: TO, from: FROM, body: 'b', statusCallback });
    await sim.control.settled();
    expect(receiver.received).toEqual([]);
    expect(sim.control.advance(a.sid)).toBe(1);
    await sim.control.settled();
    expect(callbacksOf(a.sid)).toEqual([['sending', undefined]]);
    expect(sim.control.message(b.sid)?.status).toBe('queued');
    sim.control.setTiming('instant');
    await sim.control.settled();
    expect(callbacksOf(a.sid).map(([s]) => s)).toEqual(['sending', 'sent', 'delivered']);
    expect(callbacksOf(b.sid).map(([s]) => s)).toEqual(['sending', 'sent', 'delivered']);
  });

  it('takes the configured time per step (the realistic timing of the demo is the same mechanism)', async () => {
    await start({ timing: { sendingMs: 20, sentMs: 30, finalMs: 50 } });
    const started = Date.now();
    const message = await client.messages.create({
      to: TO,
      from: FROM,
      body: 'x',
      statusCallback: `${receiver.url}/s`,
    });
    expect(sim.control.message(message.sid)?.status).toBe('queued');
    await sim.control.settled();
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(callbacksOf(message.sid).map(([s]) => s)).toEqual(['sending', 'sent', 'delivered']);
  });

  it('sends through a Messaging Service: accepted, then queued with a sender from its pool', async () => {
    await start();
    const message = await client.messages.create({
      to: TO,
      messagingServiceSid: SERVICE,
      body: 'via service',
      statusCallback: `${receiver.url}/status`,
    });
    expect(message).toMatchObject({ status: 'accepted', from: null, messagingServiceSid: SERVICE });
    await sim.control.settled();
    expect(callbacksOf(message.sid).map(([s]) => s)).toEqual(['queued', 'sending', 'sent', 'delivered']);
    expect(receiver.received.at(-1)?.params).toMatchObject({
      From: '+15005550007',
      MessagingServiceSid: SERVICE,
    });
  });

  it('records a callback our endpoint refused or never answered, without retrying it', async () => {
    await start();
    await receiver.close();
    receiver = await startWebhookReceiver(() => ({ status: 500 }));
    const message = await client.messages.create({
      to: TO,
      from: FROM,
      body: 'x',
      statusCallback: `${receiver.url}/s`,
    });
    await client.messages.create({
      to: TO,
      from: FROM,
      body: 'y',
      statusCallback: 'http://127.0.0.1:9/closed',
    });
    await sim.control.settled();
    expect(callbacksOf(message.sid)).toHaveLength(3);
    const deliveries = sim.control.webhookDeliveries('status_callback');
    expect(deliveries.filter((d) => d.status === 500)).toHaveLength(3);
    expect(deliveries.filter((d) => d.status === null && d.error)).toHaveLength(3);
  });
});
