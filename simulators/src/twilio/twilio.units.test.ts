import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { keywordOf } from './twilio.keywords.js';
import { rfc2822 } from './twilio.message.js';
import { countSegments } from './twilio.segments.js';
import { parseMessagingTwiml } from './twilio.twiml.js';
import { signTwilioRequest } from './twilio.webhooks.js';

describe('countSegments', () => {
  it('counts GSM-7: 160 alone, 153 per part, extension characters as two septets', () => {
    expect(countSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', segments: 1, units: 160 });
    expect(countSegments('a'.repeat(161)).segments).toBe(2);
    expect(countSegments('a'.repeat(306)).segments).toBe(2);
    expect(countSegments('a'.repeat(307)).segments).toBe(3);
    expect(countSegments('€'.repeat(80))).toEqual({ encoding: 'GSM-7', segments: 1, units: 160 });
    expect(countSegments('{'.repeat(81)).segments).toBe(2);
    expect(countSegments('Café à 18h, bay 3 @ £20 §1').encoding).toBe('GSM-7');
  });

  it('never splits an escaped character between parts', () => {
    // 152 + 2 septets do not fit a 153-septet part: the bracket starts part two, which overflows too.
    expect(countSegments(`${'a'.repeat(152)}[${'a'.repeat(152)}`).segments).toBe(3);
    expect(countSegments(`${'a'.repeat(151)}[${'a'.repeat(152)}`).segments).toBe(2);
  });

  it('switches the whole message to UCS-2 for one character outside GSM-7: 70 alone, 67 per part', () => {
    expect(countSegments(`${'a'.repeat(69)}ç`)).toEqual({ encoding: 'UCS-2', segments: 1, units: 70 });
    expect(countSegments(`${'a'.repeat(70)}ç`).segments).toBe(2);
    expect(countSegments('ж'.repeat(134)).segments).toBe(2);
    expect(countSegments('ж'.repeat(135)).segments).toBe(3);
    // An emoji is a surrogate pair (two units) never split between parts: 134 units, yet 3 parts.
    expect(countSegments(`${'a'.repeat(66)}😀${'a'.repeat(66)}`)).toEqual({
      encoding: 'UCS-2',
      segments: 3,
      units: 134,
    });
    expect(countSegments(`${'a'.repeat(65)}😀${'a'.repeat(67)}`).segments).toBe(2);
  });
});

describe('signTwilioRequest', () => {
  it('matches the SDK’s expected signature, query strings and repeated names included', () => {
    const url = 'https://cloud.example.com/webhooks/twilio/status?booking=b%201&kind=reminder';
    const params = { MessageSid: 'SM1', MessageStatus: 'sent', Body: 'ü & €', MediaUrl: ['b', 'a', 'b'] };
    const ours = signTwilioRequest('token-1', url, params);
    expect(ours).toBe(twilio.getExpectedTwilioSignature('token-1', url, params));
    expect(twilio.validateRequest('token-1', ours, url, params)).toBe(true);
    // validateRequest also accepts the URL with the default port spelled out.
    expect(twilio.validateRequest('token-1', ours, url.replace('.com/', '.com:443/'), params)).toBe(true);
    expect(signTwilioRequest('token-2', url, params)).not.toBe(ours);
  });
});

describe('keywordOf', () => {
  it('takes single words only, any case, and nothing else', () => {
    expect(['STOP', 'stopall', ' Unsubscribe ', 'cancel', 'END', 'quit'].map(keywordOf)).toEqual(
      Array(6).fill('STOP'),
    );
    expect(['START', 'yes', 'Unstop'].map(keywordOf)).toEqual(['START', 'START', 'START']);
    expect(['HELP', 'info'].map(keywordOf)).toEqual(['HELP', 'HELP']);
    expect(['stop it', 'STOP!', 'halt', ''].map(keywordOf)).toEqual([null, null, null, null]);
  });
});

describe('parseMessagingTwiml', () => {
  it('reads what MessagingResponse writes: text, Body children, attributes, entities, empty answers', () => {
    const response = new twilio.twiml.MessagingResponse();
    response.message('Fish & <chips>');
    response.message({ to: '+14155550101', statusCallback: 'https://x.test/s?a=1&b=2' }, '').body('second');
    expect(parseMessagingTwiml(response.toString())).toEqual([
      { body: 'Fish & <chips>' },
      { body: 'second', to: '+14155550101', statusCallback: 'https://x.test/s?a=1&b=2' },
    ]);
    expect(parseMessagingTwiml(new twilio.twiml.MessagingResponse().toString())).toEqual([]);
    expect(parseMessagingTwiml('')).toEqual([]);
    expect(() => parseMessagingTwiml('<html></html>')).toThrow(RangeError);
  });
});

describe('rfc2822', () => {
  it('writes Twilio’s date format, which the SDK parses back', () => {
    const ms = Date.UTC(2026, 0, 5, 7, 8, 9);
    expect(rfc2822(ms)).toBe('Mon, 05 Jan 2026 07:08:09 +0000');
    expect(Date.parse(rfc2822(ms))).toBe(ms);
  });
});
