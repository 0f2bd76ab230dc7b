import { OptOutList } from './twilio.keywords.js';
import { Lifecycle, type Timing } from './twilio.lifecycle.js';
import { FINAL_STATUSES, type MessageDirection, type StoredMessage } from './twilio.message.js';
import { type Outcome, OutcomeTable } from './twilio.outcomes.js';
import { MessageStore } from './twilio.store.js';
import { type WebhookParams, WebhookSender } from './twilio.webhooks.js';

/** A phone number the account owns, and where Twilio posts the messages texted to it. */
export interface PhoneNumberConfig {
  number: string;
  smsUrl?: string | null;
}

export interface MessagingServiceConfig {
  /** `MG` + 32 hex digits. */
  sid: string;
  /** Its sender pool; each must also be one of the account's numbers. */
  numbers: string[];
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Everything the simulated account holds: its numbers and services, the messages, the opt-out
 * pairs, the per-number outcomes, the message lifecycle and the webhooks it sends.
 */
export class TwilioAccount {
  readonly store = new MessageStore();
  readonly optOuts = new OptOutList();
  readonly outcomes = new OutcomeTable();
  readonly numbers = new Map<string, { smsUrl: string | null }>();
  readonly services = new Map<string, string[]>();
  readonly webhooks: WebhookSender;
  readonly lifecycle: Lifecycle;
  /** Status callbacks of one message go out one after another, in the order of its changes. */
  private callbackChains = new Map<string, Promise<unknown>>();

  constructor(
    readonly accountSid: string,
    public authToken: string,
    timing: Timing,
    readonly now: () => number,
    webhookTimeoutMs?: number,
  ) {
    this.webhooks = new WebhookSender(() => this.authToken, now, webhookTimeoutMs);
    this.lifecycle = new Lifecycle(timing, now, (message) => this.statusChanged(message));
  }

  addNumber(config: PhoneNumberConfig): void {
    this.numbers.set(config.number, { smsUrl: config.smsUrl ?? null });
  }

  addService(config: MessagingServiceConfig): void {
    for (const n of config.numbers) {
      if (!this.numbers.has(n))
        throw new RangeError(`service ${config.sid}: ${n} is not a number of the account`);
    }
    this.services.set(config.sid, [...config.numbers]);
  }

  /** The opt-out keys a message from this sender is checked against (number and its services). */
  senderKeys(from: string | null, serviceSid: string | null): string[] {
    const keys: string[] = [];
    if (serviceSid) keys.push(serviceSid, ...(this.services.get(serviceSid) ?? []));
    if (from) {
      keys.push(from);
      for (const [sid, numbers] of this.services) if (numbers.includes(from)) keys.push(sid);
    }
    return keys;
  }

  /** Stores an accepted outbound message and starts its lifecycle. */
  accept(
    input: {
      to: string;
      from: string | null;
      body: string;
      numSegments: number;
      mediaUrls: string[];
      messagingServiceSid: string | null;
      statusCallback: string | null;
      direction: MessageDirection;
      sid: string;
    },
    outcome: Outcome,
  ): StoredMessage {
    const at = this.now();
    const message: StoredMessage = {
      ...input,
      accountSid: this.accountSid,
      // Through a Messaging Service Twilio answers `accepted` (and picks the sender later when no From).
      status: input.messagingServiceSid ? 'accepted' : 'queued',
      errorCode: null,
      errorMessage: null,
      price: null,
      dateCreated: at,
      dateUpdated: at,
      dateSent: null,
    };
    this.store.add(message);
    this.lifecycle.start(message, outcome);
    return message;
  }

  /** Resolves when no message is moving on a timer and no webhook is in flight (held ones aside). */
  async settled(): Promise<void> {
    for (;;) {
      await this.webhooks.idle();
      await Promise.allSettled([...this.callbackChains.values()]);
      if (this.lifecycle.scheduled === 0 && this.webhooks.inFlight === 0 && this.callbackChains.size === 0)
        return;
      await sleep(1);
    }
  }

  reset(): void {
    this.lifecycle.stop();
    this.store.clear();
    this.optOuts.clear();
    this.outcomes.clear();
    this.webhooks.clear();
  }

  private statusChanged(message: StoredMessage): void {
    if (message.from === null && message.messagingServiceSid) {
      message.from = this.services.get(message.messagingServiceSid)?.[0] ?? null;
    }
    const url = message.statusCallback;
    if (!url) return;
    const params = this.statusParams(message);
    const previous = this.callbackChains.get(message.sid) ?? Promise.resolve();
    const next = previous.then(() => this.webhooks.post('status_callback', url, params));
    this.callbackChains.set(message.sid, next);
    void next.finally(() => {
      if (this.callbackChains.get(message.sid) === next) this.callbackChains.delete(message.sid);
    });
  }

  private statusParams(m: StoredMessage): WebhookParams {
    const params: WebhookParams = {
      AccountSid: m.accountSid,
      ApiVersion: '2010-04-01',
      From: m.from ?? '',
      MessageSid: m.sid,
      MessageStatus: m.status,
      SmsSid: m.sid,
      SmsStatus: m.status,
      To: m.to,
    };
    if (m.messagingServiceSid) params.MessagingServiceSid = m.messagingServiceSid;
    if (m.errorCode !== null) params.ErrorCode = String(m.errorCode);
    if (FINAL_STATUSES.has(m.status) && m.status !== 'failed') params.RawDlrDoneDate = dlrDate(this.now());
    return params;
  }
}

/** Carrier receipt time as Twilio passes it on, `YYMMDDhhmm` (UTC). */
function dlrDate(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCFullYear() % 100)}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}`;
}
