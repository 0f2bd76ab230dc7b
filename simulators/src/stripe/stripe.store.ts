import { randomBytes } from 'node:crypto';
import type { TestCard } from './stripe.cards.js';
import { invalidRequest, resourceMissing } from './stripe.errors.js';
import { inRange } from './stripe.params.js';
import type {
  Charge,
  CheckoutSession,
  Customer,
  LineItem,
  Location,
  PaymentIntent,
  PaymentMethod,
  Reader,
  Refund,
  SetupIntent,
  StripeEvent,
  WebhookEndpoint,
} from './stripe.types.js';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Random base62, as in Stripe's ids (`pi_3Qx…`). */
export function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte % 62];
  return out;
}

export const newId = (prefix: string, length = 24): string => `${prefix}_${randomToken(length)}`;

/** One kind of object, newest first as Stripe lists them. */
export class Collection<T extends { id: string }> {
  private readonly items = new Map<string, { seq: number; value: T }>();
  private seq = 0;

  constructor(readonly objectName: string) {}

  insert(value: T): T {
    this.items.set(value.id, { seq: ++this.seq, value });
    return value;
  }

  get(id: string): T | undefined {
    return this.items.get(id)?.value;
  }

  /** The object, or Stripe's 404 `resource_missing` naming it. */
  require(id: string, param = 'id'): T {
    const found = this.get(id);
    if (!found) throw resourceMissing(this.objectName, id, param);
    return found;
  }

  delete(id: string): boolean {
    return this.items.delete(id);
  }

  all(): T[] {
    return [...this.items.values()].sort((a, b) => b.seq - a.seq).map((e) => e.value);
  }

  clear(): void {
    this.items.clear();
  }
}

export interface ListParams {
  limit?: number | null;
  starting_after?: string | null;
  ending_before?: string | null;
  created?: { eq?: number; gt?: number; gte?: number; lt?: number; lte?: number } | null;
}

export interface ListPage<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

/** `limit` / `starting_after` / `ending_before` over a newest-first list, as stripe-node pages it. */
export function paginate<T extends { id: string; created?: number }>(
  collection: Collection<T>,
  params: ListParams,
  url: string,
  filter: (item: T) => boolean = () => true,
): ListPage<T> {
  if (params.starting_after && params.ending_before)
    throw invalidRequest('You may only specify one of these parameters: ending_before, starting_after.');
  const limit = params.limit ?? 10;
  const items = collection
    .all()
    .filter((item) => inRange(params.created, item.created ?? 0))
    .filter(filter);
  const cursor = params.starting_after ?? params.ending_before;
  if (cursor) {
    collection.require(cursor, params.starting_after ? 'starting_after' : 'ending_before');
    const at = items.findIndex((i) => i.id === cursor);
    if (params.starting_after) {
      const rest = at < 0 ? [] : items.slice(at + 1);
      return { object: 'list', data: rest.slice(0, limit), has_more: rest.length > limit, url };
    }
    const before = at < 0 ? [] : items.slice(0, at);
    return {
      object: 'list',
      data: before.slice(Math.max(0, before.length - limit)),
      has_more: before.length > limit,
      url,
    };
  }
  return { object: 'list', data: items.slice(0, limit), has_more: items.length > limit, url };
}

/** What the simulator knows about an object beyond its API shape. */
export interface PaymentMethodState {
  card: TestCard;
  /** Used on a payment without being attached: Stripe refuses to reuse it. */
  consumed: boolean;
  /** Authenticated through a SetupIntent (or a payment with setup_future_usage): off-session works. */
  setUp: boolean;
}

export interface IntentState {
  offSession: boolean;
  returnUrl: string | null;
  /** The Checkout Session paying (or saving a card) through this intent. */
  checkoutSession: string | null;
}

export class StripeStore {
  readonly customers = new Collection<Customer>('customer');
  readonly paymentMethods = new Collection<PaymentMethod>('payment_method');
  readonly paymentIntents = new Collection<PaymentIntent>('payment_intent');
  readonly charges = new Collection<Charge>('charge');
  readonly refunds = new Collection<Refund>('refund');
  readonly setupIntents = new Collection<SetupIntent>('setup_intent');
  readonly checkoutSessions = new Collection<CheckoutSession>('checkout.session');
  readonly readers = new Collection<Reader>('terminal.reader');
  readonly locations = new Collection<Location>('terminal.location');
  readonly events = new Collection<StripeEvent>('event');
  readonly webhookEndpoints = new Collection<WebhookEndpoint>('webhook_endpoint');

  readonly lineItems = new Map<string, LineItem[]>();
  readonly paymentMethodState = new Map<string, PaymentMethodState>();
  readonly intentState = new Map<string, IntentState>();

  private readonly byPrefix: Record<string, Collection<{ id: string }>> = {
    cus: this.customers,
    pm: this.paymentMethods,
    pi: this.paymentIntents,
    ch: this.charges,
    re: this.refunds,
    seti: this.setupIntents,
    cs: this.checkoutSessions,
    tmr: this.readers,
    tml: this.locations,
    evt: this.events,
    we: this.webhookEndpoints,
  };

  /** Any object by id (the prefix names its kind); used to expand ids into objects. */
  find(id: string): { id: string } | undefined {
    const prefix = id.slice(0, id.indexOf('_'));
    return this.byPrefix[prefix]?.get(id);
  }

  intent(id: string): IntentState {
    let state = this.intentState.get(id);
    if (!state) {
      state = { offSession: false, returnUrl: null, checkoutSession: null };
      this.intentState.set(id, state);
    }
    return state;
  }

  /** Forgets every object; webhook endpoints are configuration and stay. */
  reset(): void {
    for (const [prefix, collection] of Object.entries(this.byPrefix)) if (prefix !== 'we') collection.clear();
    this.lineItems.clear();
    this.paymentMethodState.clear();
    this.intentState.clear();
  }
}
