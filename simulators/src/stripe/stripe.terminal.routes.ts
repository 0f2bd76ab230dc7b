import { listRoute, type RouteFn } from './stripe.api.js';
import { bool, int, metadata, obj, oneOf, required, str } from './stripe.params.js';
import type { Services } from './stripe.services.js';

/** `/v1/terminal/locations`, `/v1/terminal/readers` and the simulated-reader test helper. */
export function registerTerminalRoutes(route: RouteFn, s: Services): void {
  const { store, terminal } = s;
  const reader = (id: string | undefined) => store.readers.require(id as string, 'reader');

  route(
    'POST',
    '/v1/terminal/locations',
    {
      display_name: required(str(1000)),
      address: required(
        obj({
          line1: str(),
          line2: str(),
          city: str(),
          state: str(),
          postal_code: str(),
          country: required(str(2)),
        }),
      ),
      metadata: metadata(),
    },
    (p) => terminal.createLocation(p),
  );
  listRoute(route, '/v1/terminal/locations', store.locations);
  route('GET', '/v1/terminal/locations/:location', {}, (_p, path) =>
    store.locations.require(path.location as string, 'location'),
  );

  route(
    'POST',
    '/v1/terminal/readers',
    { registration_code: required(str()), label: str(), location: str(), metadata: metadata() },
    (p) => terminal.createReader(p),
  );
  listRoute(route, '/v1/terminal/readers', store.readers, {
    location: str(),
    status: oneOf('online', 'offline'),
    device_type: str(),
    serial_number: str(),
  });
  route('GET', '/v1/terminal/readers/:reader', {}, (_p, path) => reader(path.reader));
  route('POST', '/v1/terminal/readers/:reader', { label: str(), metadata: metadata() }, (p, path) =>
    terminal.update(reader(path.reader), p),
  );
  route('DELETE', '/v1/terminal/readers/:reader', {}, (_p, path) => {
    const found = reader(path.reader);
    store.readers.delete(found.id);
    return { id: found.id, object: 'terminal.reader', deleted: true };
  });
  route(
    'POST',
    '/v1/terminal/readers/:reader/process_payment_intent',
    {
      payment_intent: required(str()),
      process_config: obj({
        skip_tipping: bool(),
        tipping: obj({ amount_eligible: int(0) }),
        enable_customer_cancellation: bool(),
      }),
    },
    (p, path) => terminal.processPaymentIntent(reader(path.reader), p.payment_intent),
  );
  route('POST', '/v1/terminal/readers/:reader/cancel_action', {}, (_p, path) =>
    terminal.cancelAction(reader(path.reader)),
  );
  route(
    'POST',
    '/v1/test_helpers/terminal/readers/:reader/present_payment_method',
    {
      card_present: obj({ number: str(19) }),
      amount_tip: int(0),
      type: oneOf('card_present'),
    },
    (p, path) => terminal.presentPaymentMethod(reader(path.reader), p),
  );
}
