import { listRoute, type RouteFn } from './stripe.api.js';
import type { CheckoutParams } from './stripe.checkout.js';
import { snapshot } from './stripe.context.js';
import { invalidRequest } from './stripe.errors.js';
import { arr, bool, int, metadata, obj, oneOf, required, str } from './stripe.params.js';
import { mergeMetadata } from './stripe.payment-methods.js';
import type { Services } from './stripe.services.js';
import { Collection, paginate } from './stripe.store.js';
import type { LineItem } from './stripe.types.js';

/** `/v1/checkout/sessions`, `/v1/events` and `/v1/webhook_endpoints`. */
export function registerCheckoutRoutes(route: RouteFn, s: Services): void {
  const { store } = s;
  const session = (id: string | undefined) => store.checkoutSessions.require(id as string, 'session');

  route(
    'POST',
    '/v1/checkout/sessions',
    {
      mode: required(oneOf('payment', 'setup', 'subscription')),
      line_items: arr(
        obj({
          price: str(),
          quantity: int(1, 999_999),
          price_data: obj({
            currency: required(str(3)),
            unit_amount: required(int(0)),
            product: str(),
            product_data: obj({ name: required(str()), description: str(), metadata: metadata() }),
          }),
        }),
      ),
      currency: str(3),
      customer: str(),
      customer_email: str(800),
      customer_creation: oneOf('always', 'if_required'),
      success_url: str(5000),
      cancel_url: str(5000),
      expires_at: int(),
      client_reference_id: str(200),
      metadata: metadata(),
      payment_method_types: arr(oneOf('card')),
      allowed_payment_method_types: arr(oneOf('card')),
      ui_mode: oneOf('hosted'),
      payment_intent_data: obj({
        capture_method: oneOf('automatic', 'automatic_async', 'manual'),
        setup_future_usage: oneOf('off_session', 'on_session'),
        metadata: metadata(),
        description: str(1000),
      }),
      setup_intent_data: obj({ metadata: metadata(), description: str(1000) }),
    },
    (p: CheckoutParams) => s.checkout.create(p),
  );
  listRoute(route, '/v1/checkout/sessions', store.checkoutSessions, {
    payment_intent: str(),
    customer: str(),
    status: oneOf('open', 'complete', 'expired'),
  });
  route('GET', '/v1/checkout/sessions/:session', {}, (_p, path) => session(path.session));
  route('POST', '/v1/checkout/sessions/:session', { metadata: metadata() }, (p, path) => {
    const found = session(path.session);
    found.metadata = mergeMetadata(found.metadata, p.metadata);
    return found;
  });
  route('POST', '/v1/checkout/sessions/:session/expire', {}, (_p, path) =>
    s.checkout.expire(session(path.session)),
  );
  route(
    'GET',
    '/v1/checkout/sessions/:session/line_items',
    {},
    (p, path) => {
      const found = session(path.session);
      const items = new Collection<LineItem>('line_item');
      for (const item of [...s.checkout.lineItemsOf(found.id)].reverse()) items.insert(snapshot(item));
      return paginate(items, p, `/v1/checkout/sessions/${found.id}/line_items`);
    },
    { list: true },
  );

  route(
    'GET',
    '/v1/events',
    { type: str(), types: arr(str()), delivery_success: bool() },
    (p) => {
      const matches = (type: string, pattern: string) =>
        pattern.endsWith('*') ? type.startsWith(pattern.slice(0, -1)) : type === pattern;
      return paginate(
        store.events,
        p,
        '/v1/events',
        (e) =>
          (!p.type || matches(e.type, p.type)) &&
          (!p.types?.length || p.types.some((t: string) => matches(e.type, t))) &&
          (p.delivery_success === undefined ||
            p.delivery_success === null ||
            (e.pending_webhooks === 0) === p.delivery_success),
      );
    },
    { list: true },
  );
  route('GET', '/v1/events/:event', {}, (_p, path) => store.events.require(path.event as string, 'id'));

  const endpoint = (id: string | undefined) =>
    store.webhookEndpoints.require(id as string, 'webhook_endpoint');
  const events = arr(str());
  route(
    'POST',
    '/v1/webhook_endpoints',
    {
      url: required(str()),
      enabled_events: required(events),
      api_version: str(),
      description: str(),
      metadata: metadata(),
      connect: bool(),
    },
    (p) => {
      if (p.connect) throw invalidRequest('Connect endpoints are not modelled by the simulator.', 'connect');
      checkUrl(p.url);
      const { endpoint: created, secret } = s.webhooks.addEndpoint({
        url: p.url,
        enabled_events: p.enabled_events,
        api_version: p.api_version,
        description: p.description,
        metadata: mergeMetadata({}, p.metadata),
      });
      // Only the creation reply carries the signing secret, as at Stripe.
      return { ...created, secret };
    },
  );
  listRoute(route, '/v1/webhook_endpoints', store.webhookEndpoints);
  route('GET', '/v1/webhook_endpoints/:endpoint', {}, (_p, path) => endpoint(path.endpoint));
  route(
    'POST',
    '/v1/webhook_endpoints/:endpoint',
    { url: str(), enabled_events: events, disabled: bool(), description: str(), metadata: metadata() },
    (p, path) => {
      const found = endpoint(path.endpoint);
      if (p.url) {
        checkUrl(p.url);
        found.url = p.url;
      }
      if (p.enabled_events) found.enabled_events = p.enabled_events;
      if (p.disabled !== undefined && p.disabled !== null) found.status = p.disabled ? 'disabled' : 'enabled';
      if (p.description !== undefined) found.description = p.description;
      found.metadata = mergeMetadata(found.metadata, p.metadata);
      return found;
    },
  );
  route('DELETE', '/v1/webhook_endpoints/:endpoint', {}, (_p, path) => {
    const found = endpoint(path.endpoint);
    s.webhooks.removeEndpoint(found.id);
    return { id: found.id, object: 'webhook_endpoint', deleted: true };
  });
}

function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidRequest(`Invalid URL: ${url}`, 'url', 'url_invalid');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw invalidRequest(`Invalid URL: ${url}: must be http or https`, 'url', 'url_invalid');
}
