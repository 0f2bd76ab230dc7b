import twilio from 'twilio';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ReceivedWebhook,
  restException,
  startWebhookReceiver,
  startWithTwilioClient,
} from '../testing/twilio-client.js';
import { AUTO_REPLIES } from './twilio.keywords.js';
import type { TwilioSimulator } from './twilio.simulator.js';

const OURS = '+15005550006';
const SERVICE_NUMBER = '+15005550007';
const SERVICE = `MG${'3'.repeat(32)}`;
const PHONE = '+14155550100';

let sim: TwilioSimulator;
let client: twilio.Twilio;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let answer: (hook: ReceivedWebhook) => string;

beforeEach(async () => {
  answer = () => new twilio.twiml.MessagingResponse().toString();
  receiver = await startWebhookReceiver((hook) => ({ body: answer(hook) }));
  ({ sim, client } = await startWithTwilioClient({
    phoneNumbers: [
      { number: OURS, smsUrl: `${receiver.url}/webhooks/twilio/sms` },
      { number: SERVICE_NUMBER, smsUrl: `${receiver.url}/webhooks/twilio/sms` },
      { number: '+15005550008' },
    ],
    messagingServices: [{ sid: SERVICE, numbers: [SERVICE_NUMBER, '+15005550008'] }],
  }));
});
afterEach(async () => {
  await sim.close();
  await receiver.close();
});

const send = (to = PHONE, from = OURS) =>
  client.messages.create({ to, from, body: 'Your booking is confirmed' });

describe('Twilio simulator: inbound messages and opt-out keywords', () => {
  it('posts a signed inbound webhook and sends the TwiML reply back to the phone', async () => {
    answer = (hook) => {
      const response = new twilio.twiml.MessagingResponse();
      response.message(`Got "${hook.params.Body}" & thanks`);
      return response.toString();
    };
    const result = await sim.control.inbound({ from: PHONE, to: OURS, body: 'Running 10 min late' });
    const [hook] = receiver.received;
    expect(hook?.url).toBe(`${receiver.url}/webhooks/twilio/sms`);
    expect(
      twilio.validateRequest(
        sim.authToken,
        String(hook?.headers['x-twilio-signature']),
        hook!.url,
        hook!.params,
      ),
    ).toBe(true);
    expect(hook?.params).toMatchObject({
      AccountSid: sim.accountSid,
      From: PHONE,
      To: OURS,
      Body: 'Running 10 min late',
      NumMedia: '0',
      NumSegments: '1',
      SmsStatus: 'received',
      FromCountry: 'US',
      ApiVersion: '2010-04-01',
      MessageSid: result.message.sid,
    });
    expect(hook?.params.OptOutType).toBeUndefined();
    expect(result.keyword).toBeNull();
    expect(result.replies).toHaveLength(1);
    const reply = sim.control.messages({ direction: 'outbound-reply' });
    expect(reply).toMatchObject([{ from: OURS, to: PHONE, body: 'Got "Running 10 min late" & thanks' }]);
    // Inbound messages are Message resources too, listed through the API.
    const listed = await client.messages.list({ from: PHONE });
    expect(listed.map((m) => [m.direction, m.status])).toEqual([['inbound', 'received']]);
  });

  it('STOP: auto-reply, pair blocked (21610) though the webhook still gets it; START unblocks', async () => {
    expect((await send()).status).toBe('queued');
    const stop = await sim.control.inbound({ from: PHONE, to: OURS, body: ' stop ' });
    expect(stop.keyword).toBe('STOP');
    expect(stop.autoReply).toMatchObject({ from: OURS, to: PHONE, body: AUTO_REPLIES.STOP });
    expect(receiver.received.at(-1)?.params.OptOutType).toBe('STOP');
    expect(await restException(send())).toMatchObject({ status: 400, code: 21610 });
    // Another of our numbers is another pair: not blocked.
    expect((await send(PHONE, SERVICE_NUMBER)).status).toBe('queued');
    // Our TwiML reply to the STOP itself is refused like any send to an opted-out phone.
    answer = () =>
      '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Sorry to see you go</Message></Response>';
    const again = await sim.control.inbound({ from: PHONE, to: OURS, body: 'QUIT' });
    expect(again.replies).toEqual([
      { error: { code: 21610, message: 'Attempt to send to unsubscribed recipient' } },
    ]);
    // HELP while opted out gets no auto-reply.
    expect((await sim.control.inbound({ from: PHONE, to: OURS, body: 'help' })).autoReply).toBeNull();
    const start = await sim.control.inbound({ from: PHONE, to: OURS, body: 'UNSTOP' });
    expect(start.keyword).toBe('START');
    expect(start.autoReply?.body).toBe(AUTO_REPLIES.START);
    expect((await send()).status).toBe('queued');
    expect((await sim.control.inbound({ from: PHONE, to: OURS, body: 'info' })).autoReply?.body).toBe(
      AUTO_REPLIES.HELP,
    );
  });

  it('matches a keyword only as the whole message', async () => {
    for (const body of ['STOP please', 'please stop', 'stop.', 'STOPP']) {
      const result = await sim.control.inbound({ from: PHONE, to: OURS, body });
      expect([body, result.keyword, result.autoReply]).toEqual([body, null, null]);
    }
    expect((await send()).status).toBe('queued');
  });

  it('an opt-out through a number of a Messaging Service blocks the whole service', async () => {
    await sim.control.inbound({ from: PHONE, to: SERVICE_NUMBER, body: 'CANCEL' });
    expect(
      (await restException(client.messages.create({ to: PHONE, messagingServiceSid: SERVICE, body: 'x' })))
        .code,
    ).toBe(21610);
    expect((await restException(send(PHONE, '+15005550008'))).code).toBe(21610);
    expect((await send(PHONE, OURS)).status).toBe('queued');
    expect(sim.control.optOuts()).toEqual([{ phone: PHONE, sender: SERVICE }]);
  });

  it('handles STOP on a number with no webhook, and reports an answer that is not TwiML', async () => {
    const quiet = await sim.control.inbound({ from: PHONE, to: '+15005550008', body: 'END' });
    expect(quiet.webhook).toBeNull();
    expect(quiet.autoReply?.body).toBe(AUTO_REPLIES.STOP);
    answer = () => '{"ok":true}';
    const result = await sim.control.inbound({ from: '+14155550101', to: OURS, body: 'hi' });
    expect(result.twimlError).toMatch(/Response/);
    expect(result.replies).toEqual([]);
    await expect(sim.control.inbound({ from: PHONE, to: '+14155550199', body: 'x' })).rejects.toThrow(
      /^to: /,
    );
    await expect(sim.control.inbound({ from: '555', to: OURS, body: 'x' })).rejects.toThrow(/^from: /);
  });
});
