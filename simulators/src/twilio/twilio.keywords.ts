/**
 * Twilio's default keyword handling on long codes: a single-word STOP-like message opts the sender
 * out of messages from that number (later sends fail with 21610), START-like opts back in, HELP
 * gets the help text. Twilio answers each with its own auto-reply and still forwards the message to
 * the number's webhook (support.twilio.com 223134027).
 */
export type KeywordType = 'STOP' | 'START' | 'HELP';

const KEYWORDS: Record<string, KeywordType> = {
  STOP: 'STOP',
  STOPALL: 'STOP',
  UNSUBSCRIBE: 'STOP',
  CANCEL: 'STOP',
  END: 'STOP',
  QUIT: 'STOP',
  REVOKE: 'STOP',
  OPTOUT: 'STOP',
  START: 'START',
  YES: 'START',
  UNSTOP: 'START',
  HELP: 'HELP',
  INFO: 'HELP',
};

export const AUTO_REPLIES: Record<KeywordType, string> = {
  STOP: 'You have successfully been unsubscribed. You will not receive any more messages from this number. Reply START to resubscribe.',
  START:
    'You have successfully been re-subscribed to messages from this number. Reply HELP for help. Reply STOP to unsubscribe. Msg&Data Rates May Apply.',
  HELP: 'Reply STOP to unsubscribe. Msg&Data Rates May Apply.',
};

/** Only the whole message, one word, case-insensitive ("stop" yes, "STOP please" no). */
export function keywordOf(body: string): KeywordType | null {
  const word = body.trim();
  if (!/^[A-Za-z]+$/.test(word)) return null;
  return KEYWORDS[word.toUpperCase()] ?? null;
}

/**
 * Opted-out (phone, sender) pairs. A sender is one of our numbers, or a Messaging Service SID:
 * opting out of any number of a service opts out of the whole service.
 */
export class OptOutList {
  private pairs = new Set<string>();

  optOut(phone: string, sender: string): void {
    this.pairs.add(`${phone}|${sender}`);
  }

  optIn(phone: string, sender: string): void {
    this.pairs.delete(`${phone}|${sender}`);
  }

  isOptedOut(phone: string, senders: string[]): boolean {
    return senders.some((sender) => this.pairs.has(`${phone}|${sender}`));
  }

  list(): Array<{ phone: string; sender: string }> {
    return [...this.pairs].map((pair) => {
      const [phone = '', sender = ''] = pair.split('|');
      return { phone, sender };
    });
  }

  clear(): void {
    this.pairs.clear();
  }
}
