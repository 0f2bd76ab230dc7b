import { listRoute, type RouteFn } from './stripe.api.js';
import { invalidRequest } from './stripe.errors.js';
import { arr, bool, type Fields, metadata, obj, oneOf, required, str } from './stripe.params.js';
import { mergeMetadata } from './stripe.payment-methods.js';
import type { Services } from './stripe.services.js';
import type { SetupIntentParams } from './stripe.setup-intents.js';
import { paginate } from './stripe.store.js';

/** `/v1/customers`, `/v1/payment_methods` (saved cards) and `/v1/setup_intents`. */
const CUSTOMER_FIELDS: Fields = {
  email: str(512),
  name: str(256),
  phone: str(20),
  description: str(),
  metadata: metadata(),
  payment_method: str(),
  invoice_settings: obj({ default_payment_method: str() }),
};

interface CustomerParams {
  email?: string | null;
  name?: string | null;
  phone?: string | null;
  description?: string | null;
  metadata?: Record<string, string | null> | null;
  payment_method?: string | null;
  invoice_settings?: { default_payment_method?: string | null } | null;
}

export function registerCustomerRoutes(route: RouteFn, s: Services): void {
  const { store, pms } = s;
  const customer = (id: string | undefined) => store.customers.require(id as string, 'customer');
  const pm = (id: string | undefined) => pms.resolve(id as string, 'payment_method');

  const setDefault = (cus: ReturnType<typeof customer>, id: string | null | undefined) => {
    if (id === undefined) return;
    if (id !== null && store.paymentMethods.get(id)?.customer !== cus.id)
      throw invalidRequest(
        `No such PaymentMethod: '${id}'; it must be attached to this customer to be its default.`,
        'invoice_settings[default_payment_method]',
      );
    cus.invoice_settings.default_payment_method = id;
  };

  route('POST', '/v1/customers', CUSTOMER_FIELDS, (p: CustomerParams) => {
    const cus = pms.createCustomer(p);
    if (p.payment_method) pms.attach(pm(p.payment_method), cus.id, 'payment_method');
    setDefault(cus, p.invoice_settings?.default_payment_method);
    return cus;
  });
  listRoute(route, '/v1/customers', store.customers, { email: str(512) });
  route('GET', '/v1/customers/:customer', {}, (_p, path) => customer(path.customer));
  route('POST', '/v1/customers/:customer', CUSTOMER_FIELDS, (p: CustomerParams, path) => {
    const cus = customer(path.customer);
    const previous: Record<string, unknown> = {};
    for (const key of ['email', 'name', 'phone', 'description'] as const) {
      if (p[key] === undefined) continue;
      previous[key] = cus[key];
      cus[key] = p[key];
    }
    if (p.payment_method) pms.attach(pm(p.payment_method), cus.id, 'payment_method');
    setDefault(cus, p.invoice_settings?.default_payment_method);
    cus.metadata = mergeMetadata(cus.metadata, p.metadata);
    s.ctx.events.emit('customer.updated', cus, previous);
    return cus;
  });
  route('DELETE', '/v1/customers/:customer', {}, (_p, path) => pms.deleteCustomer(customer(path.customer)));
  route(
    'GET',
    '/v1/customers/:customer/payment_methods',
    { type: str() },
    (p, path) => {
      const cus = customer(path.customer);
      return paginate(
        store.paymentMethods,
        p,
        `/v1/customers/${cus.id}/payment_methods`,
        (x) => x.customer === cus.id && (!p.type || x.type === p.type),
      );
    },
    { list: true },
  );

  route(
    'GET',
    '/v1/payment_methods',
    { customer: str(), type: str() },
    (p) => {
      if (p.customer) customer(p.customer);
      return paginate(
        store.paymentMethods,
        p,
        '/v1/payment_methods',
        (x) => (!p.customer || x.customer === p.customer) && (!p.type || x.type === p.type),
      );
    },
    { list: true },
  );
  route('GET', '/v1/payment_methods/:pm', {}, (_p, path) => pm(path.pm));
  route('POST', '/v1/payment_methods/:pm', { metadata: metadata() }, (p, path) => {
    const found = pm(path.pm);
    found.metadata = mergeMetadata(found.metadata, p.metadata);
    return found;
  });
  route('POST', '/v1/payment_methods/:pm/attach', { customer: required(str()) }, (p, path) =>
    pms.attach(pm(path.pm), p.customer),
  );
  route('POST', '/v1/payment_methods/:pm/detach', {}, (_p, path) => pms.detach(pm(path.pm)));

  const seti = (id: string | undefined) => store.setupIntents.require(id as string, 'intent');
  const SETUP_FIELDS: Fields = {
    customer: str(),
    payment_method: str(),
    payment_method_types: arr(str()),
    allowed_payment_method_types: arr(str()),
    automatic_payment_methods: obj({ enabled: bool(), allow_redirects: oneOf('always', 'never') }),
    usage: oneOf('off_session', 'on_session'),
    description: str(1000),
    metadata: metadata(),
  };
  route(
    'POST',
    '/v1/setup_intents',
    { ...SETUP_FIELDS, confirm: bool(), return_url: str() },
    (p: SetupIntentParams) => s.setups.create(p),
  );
  listRoute(route, '/v1/setup_intents', store.setupIntents, { customer: str(), payment_method: str() });
  route('GET', '/v1/setup_intents/:intent', {}, (_p, path) => seti(path.intent));
  route('POST', '/v1/setup_intents/:intent', SETUP_FIELDS, (p: SetupIntentParams, path) =>
    s.setups.update(seti(path.intent), p),
  );
  route(
    'POST',
    '/v1/setup_intents/:intent/confirm',
    { payment_method: str(), return_url: str() },
    (p, path) => s.setups.confirm(seti(path.intent), p),
  );
  route(
    'POST',
    '/v1/setup_intents/:intent/cancel',
    { cancellation_reason: oneOf('abandoned', 'duplicate', 'requested_by_customer') },
    (p, path) => s.setups.cancel(seti(path.intent), p.cancellation_reason ?? null),
  );
}
