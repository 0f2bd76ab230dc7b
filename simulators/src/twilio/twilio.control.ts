import type { FaultInjector } from '../http/fault-injector.js';
import type { RecordedRequest, RequestRecorder } from '../http/request-recorder.js';
import type { PhoneNumberConfig, TwilioAccount } from './twilio.account.js';
import { type InboundInput, type InboundResult, receiveMessage } from './twilio.inbound.js';
import type { Timing } from './twilio.lifecycle.js';
import { type MessageDirection, type StoredMessage, toResource } from './twilio.message.js';
import { type Outcome, parseOutcome } from './twilio.outcomes.js';
import { isE164 } from './twilio.phone.js';
import type { WebhookDelivery } from './twilio.webhooks.js';

export interface MessageFilter {
  to?: string;
  from?: string;
  direction?: MessageDirection;
}

/**
 * What tests (in process) and the `/__control` routes (over HTTP) use to look inside the simulated
 * account and to bend it: a phone texting in, outcomes per number, timing, faults. Not part of Twilio.
 */
export class TwilioControl {
  constructor(
    private readonly account: TwilioAccount,
    readonly faults: FaultInjector,
    private readonly recorder: RequestRecorder,
    private readonly limits: { maxConcurrentRequests: number },
  ) {}

  /** Messages as the API shows them, oldest first. */
  messages(filter: MessageFilter = {}): Array<Record<string, unknown>> {
    return this.account.store
      .all()
      .filter(
        (m: StoredMessage) =>
          (filter.to === undefined || m.to === filter.to) &&
          (filter.from === undefined || m.from === filter.from) &&
          (filter.direction === undefined || m.direction === filter.direction),
      )
      .map(toResource);
  }

  message(sid: string): Record<string, unknown> | undefined {
    const m = this.account.store.get(sid);
    return m ? toResource(m) : undefined;
  }

  requests(filter?: { method?: string; path?: string | RegExp }): RecordedRequest[] {
    return this.recorder.list(filter);
  }

  clearRequests(): void {
    this.recorder.clear();
  }

  webhookDeliveries(kind?: WebhookDelivery['kind']): WebhookDelivery[] {
    return this.account.webhooks.deliveries.filter((d) => kind === undefined || d.kind === kind);
  }

  /** Waits until every message has reached its last status and every webhook has been answered. */
  settled(): Promise<void> {
    return this.account.settled();
  }

  /** A phone texts one of our numbers (keywords handled, webhook posted, TwiML replies sent). */
  inbound(input: InboundInput): Promise<InboundResult> {
    return receiveMessage(this.account, input);
  }

  setOutcome(number: string, outcome: Outcome | string): Outcome {
    if (!isE164(number)) throw new RangeError(`number: E.164 expected, got "${number}"`);
    const parsed = parseOutcome(outcome);
    this.account.outcomes.set(number, parsed);
    return parsed;
  }

  clearOutcome(number: string): void {
    this.account.outcomes.delete(number);
  }

  outcomes(): Record<string, Outcome> {
    return this.account.outcomes.list();
  }

  timing(): Timing {
    return this.account.lifecycle.timing;
  }

  setTiming(timing: Timing): void {
    this.account.lifecycle.setTiming(timing);
  }

  /** Manual timing: one step for one message, or for every held message; returns how many moved. */
  advance(sid?: string): number {
    return this.account.lifecycle.advance(sid);
  }

  numbers(): Array<{ number: string; smsUrl: string | null; services: string[] }> {
    return [...this.account.numbers].map(([number, config]) => ({
      number,
      smsUrl: config.smsUrl,
      services: [...this.account.services].filter(([, n]) => n.includes(number)).map(([sid]) => sid),
    }));
  }

  /** Adds a number to the account or changes where its inbound messages are posted. */
  setNumber(config: PhoneNumberConfig): void {
    if (!isE164(config.number)) throw new RangeError(`number: E.164 expected, got "${config.number}"`);
    if (config.smsUrl && !URL.canParse(config.smsUrl))
      throw new RangeError(`sms_url: an absolute URL, got "${config.smsUrl}"`);
    this.account.addNumber(config);
  }

  optOuts(): Array<{ phone: string; sender: string }> {
    return this.account.optOuts.list();
  }

  maxConcurrentRequests(): number {
    return this.limits.maxConcurrentRequests;
  }

  setMaxConcurrentRequests(n: number): void {
    if (!Number.isInteger(n) || n < 1)
      throw new RangeError(`max_concurrent_requests: a positive integer, got ${n}`);
    this.limits.maxConcurrentRequests = n;
  }

  /** Forgets messages, opt-outs, outcomes, deliveries, requests and faults (numbers and timing stay). */
  reset(): void {
    this.account.reset();
    this.recorder.clear();
    this.faults.reset();
  }
}
