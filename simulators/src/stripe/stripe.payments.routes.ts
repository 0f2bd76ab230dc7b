import { listRoute, type RouteFn } from './stripe.api.js';
import { arr, bool, type Fields, int, metadata, obj, oneOf, required, str } from './stripe.params.js';
import type { PaymentIntentParams } from './stripe.payment-intents.js';
import type { RefundParams } from './stripe.refunds.js';
import type { Services } from './stripe.services.js';

/** `/v1/payment_intents`, `/v1/charges` (read-only) and `/v1/refunds`. */
const CAPTURE_METHOD = oneOf('automatic', 'automatic_async', 'manual');
const SETUP_FUTURE_USAGE = oneOf('off_session', 'on_session');
const APM = obj({ enabled: bool(), allow_redirects: oneOf('always', 'never') });

const INTENT_FIELDS: Fields = {
  amount: int(1),
  currency: str(3),
  customer: str(),
  description: str(1000),
  metadata: metadata(),
  payment_method: str(),
  payment_method_types: arr(str()),
  allowed_payment_method_types: arr(str()),
  automatic_payment_methods: APM,
  capture_method: CAPTURE_METHOD,
  setup_future_usage: SETUP_FUTURE_USAGE,
  receipt_email: str(800),
  statement_descriptor: str(22),
};

export function registerPaymentRoutes(route: RouteFn, s: Services): void {
  const { store } = s;
  const pi = (id: string | undefined) => store.paymentIntents.require(id as string, 'intent');

  route(
    'POST',
    '/v1/payment_intents',
    {
      ...INTENT_FIELDS,
      amount: required(int(1)),
      currency: required(str(3)),
      confirm: bool(),
      off_session: bool(),
      return_url: str(),
    },
    (p: PaymentIntentParams) => s.payments.create(p),
  );
  listRoute(route, '/v1/payment_intents', store.paymentIntents, { customer: str() });
  route('GET', '/v1/payment_intents/:intent', {}, (_p, path) => pi(path.intent));
  route('POST', '/v1/payment_intents/:intent', INTENT_FIELDS, (p: PaymentIntentParams, path) =>
    s.payments.update(pi(path.intent), p),
  );
  route(
    'POST',
    '/v1/payment_intents/:intent/confirm',
    { payment_method: str(), return_url: str(), off_session: bool(), receipt_email: str(800) },
    (p, path) => s.payments.confirm(pi(path.intent), p),
  );
  route(
    'POST',
    '/v1/payment_intents/:intent/capture',
    { amount_to_capture: int(1), metadata: metadata() },
    (p, path) => s.payments.capture(pi(path.intent), p),
  );
  route(
    'POST',
    '/v1/payment_intents/:intent/cancel',
    { cancellation_reason: oneOf('duplicate', 'fraudulent', 'requested_by_customer', 'abandoned') },
    (p, path) => s.payments.cancel(pi(path.intent), p.cancellation_reason ?? null),
  );

  listRoute(route, '/v1/charges', store.charges, { customer: str(), payment_intent: str() });
  route('GET', '/v1/charges/:charge', {}, (_p, path) =>
    store.charges.require(path.charge as string, 'charge'),
  );

  const REASON = oneOf('duplicate', 'fraudulent', 'requested_by_customer');
  route(
    'POST',
    '/v1/refunds',
    {
      payment_intent: str(),
      charge: str(),
      amount: int(1),
      reason: REASON,
      metadata: metadata(),
      instructions_email: str(),
    },
    (p: RefundParams) => s.refunds.create(p),
  );
  listRoute(route, '/v1/refunds', store.refunds, { charge: str(), payment_intent: str() });
  route('GET', '/v1/refunds/:refund', {}, (_p, path) =>
    store.refunds.require(path.refund as string, 'refund'),
  );
  route('POST', '/v1/refunds/:refund', { metadata: metadata() }, (p, path) =>
    s.refunds.update(store.refunds.require(path.refund as string, 'refund'), p),
  );
  route('POST', '/v1/refunds/:refund/cancel', {}, (_p, path) =>
    s.refunds.cancel(store.refunds.require(path.refund as string, 'refund')),
  );
}
