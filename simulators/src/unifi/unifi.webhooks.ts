import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { WebhookDelivery, WebhookEndpoint } from './unifi.types.js';

/** `Signature: t=<unix>,v1=<hex>` where v1 = HMAC-SHA256(secret, `<t>.<raw body>`), as UniFi Access signs. */
export function signWebhook(secret: string, timestampSeconds: number, rawBody: string): string {
  const v1 = createHmac('sha256', secret).update(`${timestampSeconds}.${rawBody}`).digest('hex');
  return `t=${timestampSeconds},v1=${v1}`;
}

/** The receiver gets 5 s to answer; a slower receiver counts as a failed delivery. */
const RECEIVER_TIMEOUT_MS = 5_000;

export class WebhookDispatcher {
  readonly endpoints = new Map<string, WebhookEndpoint>();
  readonly deliveries: WebhookDelivery[] = [];
  private pending = new Set<Promise<void>>();

  constructor(private readonly now: () => number) {}

  register(input: {
    name: string;
    endpoint: string;
    events: string[];
    headers?: Record<string, string>;
  }): WebhookEndpoint {
    const endpoint: WebhookEndpoint = {
      id: randomUUID(),
      name: input.name,
      endpoint: input.endpoint,
      events: [...input.events],
      headers: { ...(input.headers ?? {}) },
      secret: randomBytes(8).toString('hex'),
    };
    this.endpoints.set(endpoint.id, endpoint);
    return endpoint;
  }

  /** Fire-and-forget like the controller; `flush()` lets tests wait for the deliveries. */
  emit(event: string, data: Record<string, unknown>): void {
    for (const endpoint of this.endpoints.values()) {
      if (!endpoint.events.includes(event)) continue;
      const delivery = this.deliver(endpoint, event, data);
      this.pending.add(delivery);
      void delivery.finally(() => this.pending.delete(delivery));
    }
  }

  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private async deliver(
    endpoint: WebhookEndpoint,
    event: string,
    data: Record<string, unknown>,
  ): Promise<void> {
    const body = JSON.stringify({
      event,
      event_object_id: randomUUID(),
      receiver_id: '',
      save_to_history: true,
      data,
    });
    const t = Math.floor(this.now() / 1000);
    const record: WebhookDelivery = {
      endpoint_id: endpoint.id,
      event,
      status: null,
      error: null,
      at: this.now(),
    };
    try {
      const response = await fetch(endpoint.endpoint, {
        method: 'POST',
        headers: {
          ...endpoint.headers,
          'content-type': 'application/json',
          Signature: signWebhook(endpoint.secret, t, body),
        },
        body,
        signal: AbortSignal.timeout(RECEIVER_TIMEOUT_MS),
      });
      record.status = response.status;
      await response.arrayBuffer();
    } catch (error) {
      record.error = error instanceof Error ? error.message : String(error);
    }
    this.deliveries.push(record);
  }
}
