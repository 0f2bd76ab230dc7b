import { createHmac } from 'node:crypto';
import { newId, randomToken, type StripeStore } from './stripe.store.js';
import type { StripeEvent, WebhookEndpoint } from './stripe.types.js';

/**
 * Webhook delivery as Stripe does it: one POST per event and endpoint, body the event as
 * pretty-printed JSON, `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body" keyed with the
 * whole whsec_ string>` (one v1 per live secret while a secret is rolled), 2xx = delivered, anything
 * else (3xx included) or a timeout = retried after the next backoff delay, then given up.
 * Tests bend it: hold deliveries and release them late or reversed, send each twice, or drop them.
 */
export function signPayload(secret: string, timestampSeconds: number, payload: string): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.${payload}`, 'utf8').digest('hex');
}

export function signatureHeader(secrets: string[], timestampSeconds: number, payload: string): string {
  return [
    `t=${timestampSeconds}`,
    ...secrets.map((secret) => `v1=${signPayload(secret, timestampSeconds, payload)}`),
  ].join(',');
}

export interface DeliveryAttempt {
  /** Wall-clock epoch ms when the attempt was sent. */
  at: number;
  status: number | null;
  error: string | null;
  duration_ms: number;
  signature: string;
}

export interface Delivery {
  id: string;
  event_id: string;
  event_type: string;
  endpoint_id: string;
  url: string;
  /** 2 for the second copy of a duplicated delivery. */
  copy: number;
  state: 'held' | 'pending' | 'delivered' | 'failed' | 'dropped';
  attempts: DeliveryAttempt[];
  next_attempt_at: number | null;
}

export interface WebhookBehaviour {
  /** Keep new deliveries until `release()` (late, or out of order with `release('reverse')`). */
  hold: boolean;
  /** Send every delivery twice. */
  duplicate: boolean;
  /** Record new deliveries as dropped and never send them. */
  drop: boolean;
  /** Wait this long before a delivery's first attempt. */
  delayMs: number;
}

export interface WebhookSettings {
  /** Delay before each retry; its length is the number of retries. */
  retryDelaysMs: number[];
  /** A receiver that has not answered by then counts as failed. */
  timeoutMs: number;
}

/** Sandbox-like: "3 retries over a few hours". Tests pass compressed timings. */
export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = {
  retryDelaysMs: [10 * 60_000, 60 * 60_000, 3 * 60 * 60_000],
  timeoutMs: 10_000,
};

const NORMAL: WebhookBehaviour = { hold: false, duplicate: false, drop: false, delayMs: 0 };

export class WebhookDispatcher {
  private readonly secrets = new Map<string, string[]>();
  private readonly log: Delivery[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly inflight = new Set<Promise<void>>();
  private readonly aborts = new Set<AbortController>();
  private behaviourNow: WebhookBehaviour = { ...NORMAL };
  private closed = false;

  constructor(
    private readonly store: StripeStore,
    public settings: WebhookSettings,
    private readonly clock: () => number,
    private readonly defaultApiVersion: string,
  ) {}

  addEndpoint(input: {
    url: string;
    enabled_events: string[];
    secret?: string;
    api_version?: string | null;
    description?: string | null;
    metadata?: Record<string, string>;
  }): { endpoint: WebhookEndpoint; secret: string } {
    const endpoint: WebhookEndpoint = {
      id: newId('we'),
      object: 'webhook_endpoint',
      api_version: input.api_version ?? null,
      application: null,
      created: Math.floor(this.clock() / 1000),
      description: input.description ?? null,
      enabled_events: [...input.enabled_events],
      livemode: false,
      metadata: { ...(input.metadata ?? {}) },
      status: 'enabled',
      url: input.url,
    };
    const secret = input.secret ?? `whsec_${randomToken(32)}`;
    this.store.webhookEndpoints.insert(endpoint);
    this.secrets.set(endpoint.id, [secret]);
    return { endpoint, secret };
  }

  removeEndpoint(id: string): void {
    this.store.webhookEndpoints.delete(id);
    this.secrets.delete(id);
  }

  /** A new secret signs from now on; the old one keeps signing too (two v1 values) until `expireOld`. */
  rollSecret(endpointId: string, secret = `whsec_${randomToken(32)}`): string {
    this.store.webhookEndpoints.require(endpointId);
    this.secrets.set(endpointId, [secret, ...(this.secrets.get(endpointId) ?? [])]);
    return secret;
  }

  expireOldSecrets(endpointId: string): void {
    const current = this.secrets.get(endpointId);
    if (current?.[0]) this.secrets.set(endpointId, [current[0]]);
  }

  secretsOf(endpointId: string): string[] {
    return [...(this.secrets.get(endpointId) ?? [])];
  }

  behaviour(): WebhookBehaviour {
    return { ...this.behaviourNow };
  }

  setBehaviour(change: Partial<WebhookBehaviour>): WebhookBehaviour {
    if (change.delayMs !== undefined && (!Number.isInteger(change.delayMs) || change.delayMs < 0))
      throw new RangeError(`delayMs must be a non-negative integer, got ${change.delayMs}`);
    this.behaviourNow = { ...this.behaviourNow, ...change };
    return this.behaviour();
  }

  deliveries(filter: { event_id?: string; event_type?: string } = {}): Delivery[] {
    return this.log
      .filter(
        (d) =>
          (!filter.event_id || d.event_id === filter.event_id) &&
          (!filter.event_type || d.event_type === filter.event_type),
      )
      .map((d) => ({ ...d, attempts: d.attempts.map((a) => ({ ...a })) }));
  }

  /** Queues deliveries of a new event to every enabled endpoint listening for its type. */
  dispatch(event: StripeEvent): void {
    const endpoints = this.store.webhookEndpoints
      .all()
      .reverse()
      .filter(
        (e) =>
          e.status === 'enabled' && (e.enabled_events.includes('*') || e.enabled_events.includes(event.type)),
      );
    event.pending_webhooks = endpoints.length;
    const { hold, duplicate, drop, delayMs } = this.behaviourNow;
    for (const endpoint of endpoints) {
      for (let copy = 1; copy <= (duplicate ? 2 : 1); copy++) {
        const delivery: Delivery = {
          id: newId('whd'),
          event_id: event.id,
          event_type: event.type,
          endpoint_id: endpoint.id,
          url: endpoint.url,
          copy,
          state: drop ? 'dropped' : hold ? 'held' : 'pending',
          attempts: [],
          next_attempt_at: null,
        };
        this.log.push(delivery);
        if (delivery.state === 'pending') this.schedule(delivery, delayMs);
      }
    }
  }

  /** Sends the held deliveries one after another, oldest first or in reverse (out of order). */
  async release(order: 'fifo' | 'reverse' = 'fifo'): Promise<number> {
    const held = this.log.filter((d) => d.state === 'held');
    if (order === 'reverse') held.reverse();
    for (const delivery of held) {
      delivery.state = 'pending';
      await this.track(this.attempt(delivery));
    }
    return held.length;
  }

  /**
   * Resolves once nothing is being sent and no retry is scheduled (held deliveries wait), or after
   * `maxWaitMs` so a caller is not kept for hours by production-like retry delays.
   */
  async idle(maxWaitMs = 30_000): Promise<void> {
    const until = Date.now() + maxWaitMs;
    while ((this.inflight.size > 0 || this.timers.size > 0) && Date.now() < until) {
      if (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
      else await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  clearLog(): void {
    this.log.length = 0;
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const abort of this.aborts) abort.abort();
  }

  private schedule(delivery: Delivery, delayMs: number): void {
    if (this.closed) return;
    delivery.next_attempt_at = Date.now() + delayMs;
    const timer = setTimeout(() => {
      this.timers.delete(delivery.id);
      void this.track(this.attempt(delivery));
    }, delayMs);
    timer.unref();
    this.timers.set(delivery.id, timer);
  }

  private track(promise: Promise<void>): Promise<void> {
    this.inflight.add(promise);
    return promise.finally(() => this.inflight.delete(promise));
  }

  private async attempt(delivery: Delivery): Promise<void> {
    const event = this.store.events.get(delivery.event_id);
    const endpoint = this.store.webhookEndpoints.get(delivery.endpoint_id);
    if (!event || !endpoint || this.closed) {
      delivery.state = 'failed';
      delivery.next_attempt_at = null;
      return;
    }
    const payload = JSON.stringify(
      { ...event, api_version: endpoint.api_version ?? event.api_version ?? this.defaultApiVersion },
      null,
      2,
    );
    const started = Date.now();
    const signature = signatureHeader(this.secretsOf(endpoint.id), Math.floor(started / 1000), payload);
    const attempt: DeliveryAttempt = { at: started, status: null, error: null, duration_ms: 0, signature };
    delivery.attempts.push(attempt);
    delivery.next_attempt_at = null;
    const abort = new AbortController();
    this.aborts.add(abort);
    const timeout = setTimeout(
      () => abort.abort(new Error(`no answer within ${this.settings.timeoutMs} ms`)),
      this.settings.timeoutMs,
    );
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'cache-control': 'no-cache',
          accept: '*/*; q=0.5, application/xml',
          'stripe-signature': signature,
        },
        body: payload,
        signal: abort.signal,
      });
      attempt.status = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch (error) {
      const reason = abort.signal.aborted ? abort.signal.reason : error;
      attempt.error = reason instanceof Error ? reason.message : String(reason);
    } finally {
      clearTimeout(timeout);
      this.aborts.delete(abort);
      attempt.duration_ms = Date.now() - started;
    }
    if (attempt.status !== null && attempt.status >= 200 && attempt.status < 300) {
      const firstSuccess = !this.log.some(
        (d) =>
          d !== delivery &&
          d.event_id === delivery.event_id &&
          d.endpoint_id === delivery.endpoint_id &&
          d.state === 'delivered',
      );
      delivery.state = 'delivered';
      if (firstSuccess) event.pending_webhooks = Math.max(0, event.pending_webhooks - 1);
      return;
    }
    const retry = this.settings.retryDelaysMs[delivery.attempts.length - 1];
    if (retry === undefined || this.closed) delivery.state = 'failed';
    else this.schedule(delivery, retry);
  }
}
