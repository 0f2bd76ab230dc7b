import type { TwilioAccount } from './twilio.account.js';
import { twilioError } from './twilio.errors.js';
import type { MessageDirection, StoredMessage } from './twilio.message.js';
import { isE164, isSendableNumber } from './twilio.phone.js';
import { countSegments } from './twilio.segments.js';
import { newSid } from './twilio.store.js';

/** The form a create sends; a repeated name (`MediaUrl`) arrives as an array. */
export type FormParams = Record<string, string | string[] | undefined>;

export const MAX_BODY_CHARS = 1600;

function single(form: FormParams, name: string): string | undefined {
  const value = form[name];
  return Array.isArray(value) ? value[value.length - 1] : value;
}

function many(form: FormParams, name: string): string[] {
  const value = form[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * `POST /Messages.json` and a TwiML `<Message>` reply: checks the message as Twilio does (in about
 * Twilio's order, each refusal its own error code), then stores it and starts its lifecycle.
 */
export function sendMessage(
  account: TwilioAccount,
  form: FormParams,
  direction: MessageDirection,
): StoredMessage {
  const to = single(form, 'To')?.trim();
  const from = single(form, 'From')?.trim() || null;
  const serviceSid = single(form, 'MessagingServiceSid')?.trim() || null;
  const body = single(form, 'Body') ?? '';
  const mediaUrls = many(form, 'MediaUrl');
  const statusCallback = single(form, 'StatusCallback')?.trim() || null;

  if (!to) throw twilioError(21604);
  if (!from && !serviceSid) throw twilioError(21603);
  if (body === '' && mediaUrls.length === 0) throw twilioError(21602);
  if (serviceSid && !account.services.has(serviceSid)) throw twilioError(21701, serviceSid);
  if (!isSendableNumber(to)) throw twilioError(21211, to);
  if (from !== null) {
    if (!isE164(from)) throw twilioError(21212, from);
    if (!account.numbers.has(from)) throw twilioError(21606, from);
    if (from === to) throw twilioError(21266);
  }
  if ([...body].length > MAX_BODY_CHARS) throw twilioError(21617);
  const badMedia = mediaUrls.filter((u) => !isHttpUrl(u));
  if (badMedia.length > 0) throw twilioError(21620, badMedia.join(', '));
  if (statusCallback !== null && !isHttpUrl(statusCallback)) throw twilioError(21609, statusCallback);
  if (account.optOuts.isOptedOut(to, account.senderKeys(from, serviceSid))) throw twilioError(21610);
  const outcome = account.outcomes.resolve(to);
  if (outcome.kind === 'reject') throw twilioError(outcome.code, to);

  return account.accept(
    {
      sid: newSid('SM'),
      to,
      from,
      body,
      numSegments: body === '' ? 1 : countSegments(body).segments,
      mediaUrls,
      messagingServiceSid: serviceSid,
      statusCallback,
      direction,
    },
    outcome,
  );
}
