import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import type { AlertService } from '../alerts/alert.service.js';
import { raiseDoorPositionAlert } from './door-events.service.js';
import type { UnifiAccessClient } from './unifi-access.client.js';

/** Events the edge subscribes to: door position (forced/held open) and emergency changes. */
export const WEBHOOK_EVENTS = ['access.device.dps_status', 'access.device.emergency_status'];
const SUBSCRIPTION_NAME = 'ClubOS edge';
/** A delivery signed longer ago than this is refused (a replayed capture, or a badly skewed clock). */
const MAX_SKEW_SECONDS = 300;

export interface UnifiWebhookOptions {
  client: UnifiAccessClient;
  alerts: AlertService;
  log: Logger;
  now: () => number;
  /** The URL UniFi Access posts to (this edge's webhook route, as the controller reaches it). */
  endpoint: string;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

interface Delivery {
  event?: unknown;
  data?: {
    location?: { id?: unknown; name?: unknown };
    object?: { status?: unknown; reason?: unknown };
  };
}

/**
 * Door events pushed by UniFi Access (contract: webhooks, Access ≥ 2.2.10). `register` subscribes
 * this edge once (or adopts its existing subscription, whose secret the list returns) and keeps the
 * secret in memory; every delivery is checked against `Signature: t=<unix>,v1=<hex>` with
 * v1 = HMAC-SHA256(secret, "<t>.<raw body>") before it is believed. Polling (`DoorEventsService`)
 * keeps running: a missed delivery is caught by the next poll, under the same alert key.
 */
export class UnifiWebhookService {
  private secret: string | null = null;

  constructor(private readonly options: UnifiWebhookOptions) {}

  get registered(): boolean {
    return this.secret !== null;
  }

  /** Subscribes `endpoint` (default: the configured one); safe to call again (adopts, never duplicates). */
  async register(endpoint = this.options.endpoint): Promise<void> {
    const { client, log } = this.options;
    const input = { name: SUBSCRIPTION_NAME, endpoint, events: WEBHOOK_EVENTS };
    const existing = (await client.listWebhookEndpoints()).find((e) => e.endpoint === endpoint);
    const wantsUpdate =
      existing !== undefined &&
      (existing.name !== input.name || !WEBHOOK_EVENTS.every((e) => existing.events.includes(e)));
    const subscription =
      existing === undefined
        ? await client.createWebhookEndpoint(input)
        : wantsUpdate
          ? await client.updateWebhookEndpoint(existing.id, input)
          : existing;
    this.secret = subscription.secret;
    log.info({ endpoint, subscription: subscription.id }, 'UniFi webhook subscription ready');
  }

  verify(rawBody: string, header: string | undefined): SignatureCheck {
    if (this.secret === null) return { ok: false, reason: 'no webhook subscription yet' };
    if (header === undefined || header === '') return { ok: false, reason: 'Signature header missing' };
    const parts = new Map(
      header.split(',').map((p) => {
        const i = p.indexOf('=');
        return [p.slice(0, i).trim(), p.slice(i + 1).trim()] as const;
      }),
    );
    const t = parts.get('t') ?? '';
    const v1 = parts.get('v1') ?? '';
    if (!/^\d{1,12}$/.test(t) || !/^[0-9a-f]{64}$/i.test(v1))
      return { ok: false, reason: 'Signature header malformed' };
    const skew = Math.abs(Math.floor(this.options.now() / 1000) - Number(t));
    if (skew > MAX_SKEW_SECONDS) return { ok: false, reason: `Signature is ${skew} s old` };
    const expected = createHmac('sha256', this.secret).update(`${t}.${rawBody}`).digest();
    const given = Buffer.from(v1, 'hex');
    if (!timingSafeEqual(expected, given)) return { ok: false, reason: 'Signature does not match' };
    return { ok: true };
  }

  /** A verified delivery; returns whether it raised an alert. Unknown events are ignored. */
  handle(delivery: Delivery): boolean {
    const { alerts, log } = this.options;
    if (delivery.event === 'access.device.emergency_status') {
      log.warn({ emergency: delivery.data?.object ?? delivery.data }, 'UniFi emergency status changed');
      return false;
    }
    if (delivery.event !== 'access.device.dps_status') return false;
    const reason = delivery.data?.object?.reason;
    const location = delivery.data?.location;
    if ((reason !== 'forced_open' && reason !== 'held_open') || typeof location?.id !== 'string')
      return false;
    raiseDoorPositionAlert(alerts, {
      event: reason,
      door: { id: location.id, name: typeof location.name === 'string' ? location.name : 'a door' },
      message: reason === 'forced_open' ? 'Door Forced Open' : 'Door Held Open',
      details: { via: 'webhook', at: this.options.now() },
    });
    return true;
  }
}
