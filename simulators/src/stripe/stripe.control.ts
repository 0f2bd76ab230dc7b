import type { RecordedRequest, RequestRecorder } from '../http/request-recorder.js';
import type { CardForm, PayOutcome } from './stripe.checkout.js';
import type { StripeFault, StripeFaults } from './stripe.faults.js';
import type { IdempotencyStore } from './stripe.idempotency.js';
import type { Services } from './stripe.services.js';
import type { Reader, WebhookEndpoint } from './stripe.types.js';
import type { Delivery, WebhookBehaviour } from './stripe.webhooks.js';

/**
 * What tests (in process) and `/__control` (over HTTP) use to look inside the simulated account and
 * bend it. Not part of Stripe: it stands in for the Dashboard, the customer's browser, the card
 * reader, the clock and Stripe's own outages.
 */
export class StripeControl {
  constructor(
    private readonly s: Services,
    private readonly faultSet: StripeFaults,
    private readonly recorder: RequestRecorder,
    private readonly idempotency: IdempotencyStore,
    private readonly clockOffset: { ms: number },
  ) {}

  // Faults -----------------------------------------------------------------------------------------
  fault(spec: StripeFault): void {
    this.faultSet.add(spec);
  }
  faults(): ReturnType<StripeFaults['list']> {
    return this.faultSet.list();
  }
  clearFaults(): void {
    this.faultSet.clear();
  }

  // Webhooks ---------------------------------------------------------------------------------------
  /** Registers an endpoint as the Dashboard would; pass `secret` to pin the whsec_ the receiver knows. */
  addWebhookEndpoint(input: { url: string; events?: string[]; secret?: string; apiVersion?: string }): {
    endpoint: WebhookEndpoint;
    secret: string;
  } {
    const url = new URL(input.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new RangeError(`url must be http(s), got ${input.url}`);
    if (input.secret !== undefined && !input.secret.startsWith('whsec_'))
      throw new RangeError('secret must start with whsec_');
    return this.s.webhooks.addEndpoint({
      url: input.url,
      enabled_events: input.events ?? ['*'],
      secret: input.secret,
      api_version: input.apiVersion,
    });
  }
  rollWebhookSecret(endpointId: string, secret?: string): string {
    return this.s.webhooks.rollSecret(endpointId, secret);
  }
  expireOldWebhookSecrets(endpointId: string): void {
    this.s.webhooks.expireOldSecrets(endpointId);
  }
  webhookBehaviour(change: Partial<WebhookBehaviour> = {}): WebhookBehaviour {
    return this.s.webhooks.setBehaviour(change);
  }
  /** Sends held deliveries, oldest first or reversed (out of order). */
  releaseWebhooks(order: 'fifo' | 'reverse' = 'fifo'): Promise<number> {
    return this.s.webhooks.release(order);
  }
  webhookDeliveries(filter?: { event_id?: string; event_type?: string }): Delivery[] {
    return this.s.webhooks.deliveries(filter);
  }
  /** Resolves when no delivery is in flight or scheduled for retry (at most `maxWaitMs`, default 30 s). */
  flushWebhooks(maxWaitMs?: number): Promise<void> {
    return this.s.webhooks.idle(maxWaitMs);
  }
  setWebhookTimings(change: { retryDelaysMs?: number[]; timeoutMs?: number }): void {
    if (change.retryDelaysMs?.some((d) => !Number.isInteger(d) || d < 0))
      throw new RangeError('retryDelaysMs must be non-negative integers');
    if (change.timeoutMs !== undefined && (!Number.isInteger(change.timeoutMs) || change.timeoutMs < 1))
      throw new RangeError('timeoutMs must be a positive integer');
    this.s.webhooks.settings = { ...this.s.webhooks.settings, ...change };
  }

  // The customer's browser and the card reader ------------------------------------------------------
  /** Submits the hosted Checkout page with a card, without a browser. */
  payCheckoutSession(sessionId: string, card: Partial<CardForm> & { number: string }): PayOutcome {
    const session = this.s.store.checkoutSessions.require(sessionId);
    const year = new Date(this.s.ctx.nowMs()).getUTCFullYear() + 2;
    return this.asPerson(() =>
      this.s.checkout.pay(session, {
        expMonth: 12,
        expYear: year,
        name: null,
        email: session.customer_email ?? 'customer@example.com',
        ...card,
      }),
    );
  }
  /** Answers a pending 3-D Secure challenge on a PaymentIntent or SetupIntent, as its page would. */
  authenticate(intentId: string, approve: boolean): void {
    this.asPerson(() => {
      const pi = this.s.store.paymentIntents.get(intentId);
      if (pi) return this.s.payments.authenticate(pi, approve);
      return this.s.setups.authenticate(this.s.store.setupIntents.require(intentId), approve);
    });
    const session = this.s.store.intent(intentId).checkoutSession;
    if (session) this.asPerson(() => this.s.checkout.afterAuthentication(session));
  }
  setReaderStatus(readerId: string, status: Reader['status']): Reader {
    return this.s.terminal.setStatus(this.s.store.readers.require(readerId), status);
  }
  /** The reader's next `count` commands fail with `terminal_reader_timeout`. */
  timeoutReaderCommands(readerId: string, count = 1): void {
    this.s.terminal.failNextCommands(this.s.store.readers.require(readerId), count);
  }
  customerCancelsOnReader(readerId: string): Reader {
    return this.asPerson(() => this.s.terminal.customerCancel(this.s.store.readers.require(readerId)));
  }

  // Clock, log, reset ------------------------------------------------------------------------------
  /** Moves the simulated clock forward, then expires what is due (sessions, authorisations). */
  advanceClock(seconds: number): number {
    if (!Number.isInteger(seconds) || seconds < 0)
      throw new RangeError(`seconds must be a non-negative integer, got ${seconds}`);
    this.clockOffset.ms += seconds * 1000;
    this.s.sweep();
    return this.s.ctx.now();
  }
  requests(filter?: { method?: string; path?: string | RegExp }): RecordedRequest[] {
    return this.recorder.list(filter);
  }
  clearRequests(): void {
    this.recorder.clear();
  }
  /** Forgets every object, event, delivery, idempotency key, fault and request (endpoints stay). */
  reset(): void {
    this.s.store.reset();
    this.s.webhooks.clearLog();
    this.idempotency.clear();
    this.faultSet.clear();
    this.recorder.clear();
  }

  private asPerson<T>(work: () => T): T {
    return this.s.ctx.events.within({ id: null, idempotency_key: null }, work);
  }
}
