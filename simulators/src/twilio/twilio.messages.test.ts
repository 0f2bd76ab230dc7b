import twilio from 'twilio';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { restException, startWithTwilioClient } from '../testing/twilio-client.js';
import type { TwilioSimulator } from './twilio.simulator.js';

const FROM = '+15005550006';
const TO = '+14155550100';
const API_KEY = { sid: `SK${'a'.repeat(32)}`, secret: 'key-secret' };

let sim: TwilioSimulator;
let client: twilio.Twilio;

beforeEach(async () => {
  ({ sim, client } = await startWithTwilioClient({ apiKeys: [API_KEY], timing: 'manual' }));
});
afterEach(async () => {
  await sim.close();
});

/** A create sent without the SDK, for what the SDK refuses to send itself (no To). */
async function rawCreate(form: Record<string, string>, auth = `${sim.accountSid}:${sim.authToken}`) {
  const response = await fetch(`${sim.url}/2010-04-01/Accounts/${sim.accountSid}/Messages.json`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(auth).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('Twilio simulator: the Messages resource through the official SDK', () => {
  it('creates a message as Twilio answers it (201, queued, SM sid, RFC 2822 dates, segments)', async () => {
    const message = await client.messages.create({ to: TO, from: FROM, body: 'Your bay is ready' });
    expect(message.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(message).toMatchObject({
      accountSid: sim.accountSid,
      to: TO,
      from: FROM,
      body: 'Your bay is ready',
      status: 'queued',
      direction: 'outbound-api',
      numSegments: '1',
      numMedia: '0',
      price: null,
      priceUnit: 'USD',
      errorCode: null,
      errorMessage: null,
      apiVersion: '2010-04-01',
      uri: `/2010-04-01/Accounts/${sim.accountSid}/Messages/${message.sid}.json`,
    });
    // The SDK parses RFC 2822 dates into Date objects; a bad format would give an Invalid Date.
    expect(Math.abs(message.dateCreated.getTime() - Date.now())).toBeLessThan(5_000);
    expect(message.dateSent).toBeNull();
    const [request] = sim.control.requests({ method: 'POST' });
    expect(request?.headers['user-agent']).toMatch(/^twilio-node\//);
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.body).toEqual({ To: TO, From: FROM, Body: 'Your bay is ready' });
  });

  it('counts GSM-7 and UCS-2 segments and keeps every MediaUrl of a repeated form field', async () => {
    const long = await client.messages.create({ to: TO, from: FROM, body: 'x'.repeat(161) });
    expect(long.numSegments).toBe('2');
    const unicode = await client.messages.create({ to: TO, from: FROM, body: 'See you at 6 ⛳' });
    expect(unicode.numSegments).toBe('1');
    const unicodeLong = await client.messages.create({
      to: TO,
      from: FROM,
      body: 'ü'.repeat(10) + '⛳'.repeat(61),
    });
    expect(unicodeLong.numSegments).toBe('2');
    const mms = await client.messages.create({
      to: TO,
      from: FROM,
      mediaUrl: ['https://example.com/a.png', 'https://example.com/b.png'],
    });
    expect(mms.numMedia).toBe('2');
  });

  it('fetches, lists newest first across pages, and deletes', async () => {
    const sids: string[] = [];
    for (let i = 0; i < 5; i++) {
      sids.push((await client.messages.create({ to: TO, from: FROM, body: `m${i}` })).sid);
    }
    await client.messages.create({ to: '+14155550101', from: FROM, body: 'other' });
    expect((await client.messages(sids[2] as string).fetch()).body).toBe('m2');
    // pageSize 2: the SDK follows next_page_uri (rewritten to the simulator) for the rest.
    const listed = await client.messages.list({ to: TO, pageSize: 2 });
    expect(listed.map((m) => m.sid)).toEqual([...sids].reverse());
    const pages = sim.control.requests({
      method: 'GET',
      path: `/2010-04-01/Accounts/${sim.accountSid}/Messages.json`,
    });
    expect(pages.map((r) => r.query.Page ?? '0')).toEqual(['0', '1', '2']);
    expect(await client.messages(sids[0] as string).remove()).toBe(true);
    expect((await restException(client.messages(sids[0] as string).fetch())).code).toBe(20404);
  });

  it('filters the list by date sent, and names a bad date', async () => {
    sim.control.setTiming('instant');
    await client.messages.create({ to: TO, from: FROM, body: 'a' });
    await client.messages.create({ to: TO, from: FROM, body: 'b' });
    await sim.control.settled();
    const yesterday = new Date(Date.now() - 86_400_000);
    expect((await client.messages.list({ dateSentAfter: yesterday })).map((m) => m.body)).toEqual(['b', 'a']);
    expect(await client.messages.list({ dateSentBefore: yesterday })).toEqual([]);
    expect((await client.messages.list({ dateSent: new Date() })).length).toBe(2);
    const response = await fetch(
      `${sim.url}/2010-04-01/Accounts/${sim.accountSid}/Messages.json?DateSent=soon`,
      {
        headers: {
          authorization: `Basic ${Buffer.from(`${sim.accountSid}:${sim.authToken}`).toString('base64')}`,
        },
      },
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/^DateSent: /);
  });

  it('accepts an API key with the account SID, and refuses bad credentials with 401 20003', async () => {
    const keyed = twilio(API_KEY.sid, API_KEY.secret, {
      accountSid: sim.accountSid,
      httpClient: (client as unknown as { httpClient: twilio.RequestClient }).httpClient,
    });
    expect((await keyed.messages.create({ to: TO, from: FROM, body: 'hi' })).status).toBe('queued');
    const wrong = twilio(sim.accountSid, 'wrong-token', {
      httpClient: (client as unknown as { httpClient: twilio.RequestClient }).httpClient,
    });
    const error = await restException(wrong.messages.create({ to: TO, from: FROM, body: 'hi' }));
    expect(error).toMatchObject({
      status: 401,
      code: 20003,
      moreInfo: 'https://www.twilio.com/docs/errors/20003',
    });
    const raw = await rawCreate({ To: TO, From: FROM, Body: 'x' }, `${sim.accountSid}:nope`);
    expect(raw.status).toBe(401);
  });

  it('answers 20404 for an unknown message and for another account', async () => {
    expect(await restException(client.messages(`SM${'0'.repeat(32)}`).fetch())).toMatchObject({
      status: 404,
      code: 20404,
    });
    const httpClient = (client as unknown as { httpClient: twilio.RequestClient }).httpClient;
    const otherAccount = `AC${'f'.repeat(32)}`;
    // Our key, another account's path: authenticated, but that account is not found.
    const keyed = twilio(API_KEY.sid, API_KEY.secret, { accountSid: otherAccount, httpClient });
    expect((await restException(keyed.messages.list())).code).toBe(20404);
    // Another account's SID as the user name with our token: not authenticated at all.
    const stranger = twilio(otherAccount, sim.authToken, { httpClient });
    expect((await restException(stranger.messages.list())).code).toBe(20003);
  });

  it('refuses bad input with Twilio error codes the SDK surfaces as RestException', async () => {
    const cases: Array<[Parameters<typeof client.messages.create>[0], number]> = [
      [{ to: '4155550100', from: FROM, body: 'not E.164' }, 21211],
      [{ to: '+1 415 555 0100', from: FROM, body: 'spaces' }, 21211],
      [{ to: '+11234567890', from: FROM, body: 'no such area code' }, 21211],
      [{ to: TO, from: '5005550006', body: 'bad from' }, 21212],
      [{ to: TO, from: '+14155550199', body: 'not our number' }, 21606],
      [{ to: FROM, from: FROM, body: 'to self' }, 21266],
      [{ to: TO, from: FROM, body: '' }, 21602],
      [{ to: TO, from: FROM, body: 'x'.repeat(1601) }, 21617],
      [{ to: TO, messagingServiceSid: `MG${'1'.repeat(32)}`, body: 'unknown service' }, 21701],
      [{ to: TO, body: 'no sender' }, 21603],
      [{ to: TO, from: FROM, body: 'x', statusCallback: 'not a url' }, 21609],
      [{ to: TO, from: FROM, mediaUrl: ['ftp://x/y.png'] }, 21620],
    ];
    for (const [params, code] of cases) {
      const error = await restException(client.messages.create(params));
      expect({ body: params.body?.slice(0, 20), status: error.status, code: error.code }).toEqual({
        body: params.body?.slice(0, 20),
        status: 400,
        code,
      });
    }
    // 1600 characters is the limit itself: accepted, in 11 segments of 153.
    expect((await client.messages.create({ to: TO, from: FROM, body: 'x'.repeat(1600) })).numSegments).toBe(
      '11',
    );
    // The SDK will not send a create without `to`; Twilio answers 21604 to one that comes anyway.
    expect(await rawCreate({ From: FROM, Body: 'x' })).toEqual({
      status: 400,
      body: {
        code: 21604,
        message: "A 'To' phone number is required.",
        more_info: 'https://www.twilio.com/docs/errors/21604',
        status: 400,
      },
    });
  });
});
