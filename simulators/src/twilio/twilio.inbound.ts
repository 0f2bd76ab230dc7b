import type { TwilioAccount } from './twilio.account.js';
import { TwilioApiError } from './twilio.errors.js';
import { AUTO_REPLIES, type KeywordType, keywordOf } from './twilio.keywords.js';
import { API_VERSION, type StoredMessage, toResource } from './twilio.message.js';
import { sendMessage } from './twilio.outbound.js';
import { countryOf, isSendableNumber } from './twilio.phone.js';
import { countSegments } from './twilio.segments.js';
import { newSid } from './twilio.store.js';
import { parseMessagingTwiml } from './twilio.twiml.js';
import type { WebhookDelivery, WebhookParams } from './twilio.webhooks.js';

/** "A phone texts our number": what the control API's inbound call takes. */
export interface InboundInput {
  from: string;
  to: string;
  body: string;
  mediaUrls?: string[];
}

export interface InboundResult {
  message: Record<string, unknown>;
  keyword: KeywordType | null;
  /** Twilio's own answer to a keyword (not sent for HELP while opted out). */
  autoReply: Record<string, unknown> | null;
  /** The webhook to the number's SMS URL, or null when the number has none. */
  webhook: WebhookDelivery | null;
  /** The `<Message>` replies of our TwiML, each sent (or refused, e.g. 21610 after a STOP). */
  replies: Array<{ message: Record<string, unknown> } | { error: { code: number; message: string } }>;
  /** Set when our answer was not usable TwiML (Twilio logs error 12100 and sends nothing). */
  twimlError: string | null;
}

/** The service of a number, if any: opt-outs then cover the whole service, as Twilio's do. */
function serviceOf(account: TwilioAccount, number: string): string | null {
  for (const [sid, numbers] of account.services) if (numbers.includes(number)) return sid;
  return null;
}

function inboundParams(account: TwilioAccount, m: StoredMessage, keyword: KeywordType | null): WebhookParams {
  const params: WebhookParams = {
    AccountSid: account.accountSid,
    ApiVersion: API_VERSION,
    Body: m.body,
    From: m.from ?? '',
    FromCity: '',
    FromCountry: countryOf(m.from ?? ''),
    FromState: '',
    FromZip: '',
    MessageSid: m.sid,
    NumMedia: String(m.mediaUrls.length),
    NumSegments: String(m.numSegments),
    SmsMessageSid: m.sid,
    SmsSid: m.sid,
    SmsStatus: 'received',
    To: m.to,
    ToCity: '',
    ToCountry: countryOf(m.to),
    ToState: '',
    ToZip: '',
  };
  if (m.messagingServiceSid) params.MessagingServiceSid = m.messagingServiceSid;
  m.mediaUrls.forEach((url, i) => {
    params[`MediaUrl${i}`] = url;
    params[`MediaContentType${i}`] = 'image/jpeg';
  });
  if (keyword) params.OptOutType = keyword;
  return params;
}

/**
 * An inbound SMS: stored as `received`, keyword handling first (opt-out list and auto-reply, as
 * Twilio does even when the number has no webhook), then the signed webhook to the number's SMS
 * URL, whose TwiML `<Message>` replies are sent back to the phone like any outbound message.
 */
export async function receiveMessage(account: TwilioAccount, input: InboundInput): Promise<InboundResult> {
  if (!isSendableNumber(input.from))
    throw new RangeError(`from: not a valid E.164 phone number: ${input.from}`);
  const number = account.numbers.get(input.to);
  if (!number) throw new RangeError(`to: ${input.to} is not a phone number of this account`);
  const at = account.now();
  const serviceSid = serviceOf(account, input.to);
  const message: StoredMessage = {
    sid: newSid('SM'),
    accountSid: account.accountSid,
    from: input.from,
    to: input.to,
    body: input.body,
    status: 'received',
    direction: 'inbound',
    numSegments: input.body === '' ? 1 : countSegments(input.body).segments,
    mediaUrls: input.mediaUrls ?? [],
    messagingServiceSid: serviceSid,
    statusCallback: null,
    errorCode: null,
    errorMessage: null,
    price: '-0.00790',
    dateCreated: at,
    dateUpdated: at,
    dateSent: at,
  };
  account.store.add(message);

  const keyword = keywordOf(input.body);
  const sender = serviceSid ?? input.to;
  const wasOptedOut = account.optOuts.isOptedOut(input.from, account.senderKeys(input.to, null));
  if (keyword === 'STOP') account.optOuts.optOut(input.from, sender);
  if (keyword === 'START') {
    for (const key of account.senderKeys(input.to, null)) account.optOuts.optIn(input.from, key);
  }
  let autoReply: StoredMessage | null = null;
  if (keyword && !(keyword === 'HELP' && wasOptedOut)) {
    // The confirmation of a STOP still reaches the phone: Twilio sends it past its own block.
    autoReply = account.accept(
      {
        sid: newSid('SM'),
        to: input.from,
        from: input.to,
        body: AUTO_REPLIES[keyword],
        numSegments: countSegments(AUTO_REPLIES[keyword]).segments,
        mediaUrls: [],
        messagingServiceSid: null,
        statusCallback: null,
        direction: 'outbound-reply',
      },
      account.outcomes.resolve(input.from),
    );
  }

  const result: InboundResult = {
    message: toResource(message),
    keyword,
    autoReply: autoReply ? toResource(autoReply) : null,
    webhook: null,
    replies: [],
    twimlError: null,
  };
  if (!number.smsUrl) return result;
  const delivery = await account.webhooks.post(
    'inbound',
    number.smsUrl,
    inboundParams(account, message, keyword),
  );
  result.webhook = delivery;
  if (delivery.status === null || delivery.status < 200 || delivery.status >= 300) return result;
  let twiml: ReturnType<typeof parseMessagingTwiml>;
  try {
    twiml = parseMessagingTwiml(delivery.responseBody);
  } catch (error) {
    result.twimlError = (error as Error).message;
    return result;
  }
  for (const reply of twiml) {
    try {
      const sent = sendMessage(
        account,
        {
          To: reply.to ?? input.from,
          From: reply.from ?? input.to,
          Body: reply.body,
          StatusCallback: reply.statusCallback,
        },
        'outbound-reply',
      );
      result.replies.push({ message: toResource(sent) });
    } catch (error) {
      if (!(error instanceof TwilioApiError)) throw error;
      result.replies.push({ error: { code: error.code, message: error.message } });
    }
  }
  return result;
}
