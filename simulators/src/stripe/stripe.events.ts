import { newId, type StripeStore } from './stripe.store.js';
import type { StripeEvent } from './stripe.types.js';
import type { WebhookDispatcher } from './stripe.webhooks.js';

/**
 * Every state change becomes an Event (kept for `GET /v1/events`) with a snapshot of the object,
 * and is handed to the webhook dispatcher. `request` names the API call that caused it; changes
 * made by a person on the hosted page or by the clock carry `{id: null, idempotency_key: null}`.
 */
export interface RequestOrigin {
  id: string | null;
  idempotency_key: string | null;
}

const NO_REQUEST: RequestOrigin = { id: null, idempotency_key: null };

export class EventBus {
  private origin: RequestOrigin = NO_REQUEST;

  constructor(
    private readonly store: StripeStore,
    private readonly webhooks: WebhookDispatcher,
    private readonly nowSeconds: () => number,
    private readonly apiVersion: string,
  ) {}

  /** Runs `work` (synchronous, like every handler) with its events attributed to a request. */
  within<T>(origin: RequestOrigin, work: () => T): T {
    const before = this.origin;
    this.origin = origin;
    try {
      return work();
    } finally {
      this.origin = before;
    }
  }

  emit(type: string, object: unknown, previous?: Record<string, unknown>): StripeEvent {
    const event: StripeEvent = {
      id: newId('evt'),
      object: 'event',
      api_version: this.apiVersion,
      created: this.nowSeconds(),
      data: { object: structuredClone(object), ...(previous ? { previous_attributes: previous } : {}) },
      livemode: false,
      pending_webhooks: 0,
      request: { ...this.origin },
      type,
    };
    this.store.events.insert(event);
    this.webhooks.dispatch(event);
    return event;
  }
}
