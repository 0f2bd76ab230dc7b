import { cardForNumber } from './stripe.cards.js';
import { ONE_DAY, type SimContext } from './stripe.context.js';
import { invalidRequest, resourceMissing, StripeApiError } from './stripe.errors.js';
import { checkChargeAmount, normalizeCurrency } from './stripe.money.js';
import type { PaymentIntents } from './stripe.payment-intents.js';
import { mergeMetadata, type PaymentMethods } from './stripe.payment-methods.js';
import type { SetupIntents } from './stripe.setup-intents.js';
import { newId, randomToken } from './stripe.store.js';
import type { CheckoutSession, LineItem } from './stripe.types.js';

/**
 * Checkout Sessions in `payment` and `setup` mode, paid on the simulator's hosted page (see
 * stripe.hosted-page.ts). As in current API versions the PaymentIntent / SetupIntent is created
 * when the customer first submits a card, so `payment_intent` is null until then.
 */
interface LineItemParam {
  price?: string | null;
  price_data?: {
    currency: string;
    unit_amount: number;
    product_data?: { name: string; description?: string | null } | null;
    product?: string | null;
  };
  quantity?: number | null;
}

export interface CheckoutParams {
  mode: 'payment' | 'setup' | 'subscription';
  line_items?: LineItemParam[] | null;
  currency?: string | null;
  customer?: string | null;
  customer_email?: string | null;
  customer_creation?: 'always' | 'if_required' | null;
  success_url?: string | null;
  cancel_url?: string | null;
  expires_at?: number | null;
  client_reference_id?: string | null;
  metadata?: Record<string, string | null> | null;
  payment_method_types?: string[] | null;
  allowed_payment_method_types?: string[] | null;
  payment_intent_data?: {
    capture_method?: 'automatic' | 'automatic_async' | 'manual' | null;
    setup_future_usage?: 'off_session' | 'on_session' | null;
    metadata?: Record<string, string | null> | null;
    description?: string | null;
  } | null;
  setup_intent_data?: { metadata?: Record<string, string | null> | null; description?: string | null } | null;
}

export type PayOutcome =
  | { kind: 'complete'; session: CheckoutSession }
  | { kind: 'authenticate'; intentId: string }
  | { kind: 'failed'; message: string };

export interface CardForm {
  number: string;
  expMonth: number;
  expYear: number;
  name: string | null;
  email: string | null;
}

export class CheckoutSessions {
  /** payment_intent_data / setup_intent_data, kept until the intent is created. */
  private readonly intentData = new Map<
    string,
    CheckoutParams['payment_intent_data'] & CheckoutParams['setup_intent_data']
  >();

  constructor(
    private readonly ctx: SimContext,
    private readonly pms: PaymentMethods,
    private readonly payments: PaymentIntents,
    private readonly setups: SetupIntents,
  ) {}

  create(params: CheckoutParams): CheckoutSession {
    if (params.mode === 'subscription')
      throw invalidRequest(
        'The Stripe simulator does not model subscription mode; use payment or setup.',
        'mode',
      );
    if (params.customer && params.customer_email)
      throw invalidRequest(
        'You may only specify one of these parameters: customer, customer_email.',
        'customer_email',
      );
    if (params.customer) this.ctx.store.customers.require(params.customer, 'customer');
    const now = this.ctx.now();
    const expiresAt = params.expires_at ?? now + ONE_DAY;
    if (expiresAt - now < 30 * 60 || expiresAt - now > ONE_DAY)
      throw invalidRequest(
        'The `expires_at` timestamp must be at least 30 minutes and at most 24 hours after the Checkout Session is created.',
        'expires_at',
      );
    const id = `cs_test_${randomToken(58)}`;
    const items = params.mode === 'payment' ? this.lineItems(params.line_items) : [];
    const total = items.reduce((sum, item) => sum + item.amount_total, 0);
    const currency = items[0]?.currency ?? (params.currency ? normalizeCurrency(params.currency) : null);
    if (params.mode === 'payment') checkChargeAmount(total, currency as string, 'line_items');
    const session: CheckoutSession = {
      id,
      object: 'checkout.session',
      amount_subtotal: params.mode === 'payment' ? total : null,
      amount_total: params.mode === 'payment' ? total : null,
      cancel_url: params.cancel_url ?? null,
      client_reference_id: params.client_reference_id ?? null,
      created: now,
      currency,
      customer: params.customer ?? null,
      customer_creation: params.customer ? null : (params.customer_creation ?? 'if_required'),
      customer_details: null,
      customer_email: params.customer_email ?? null,
      expires_at: expiresAt,
      livemode: false,
      metadata: mergeMetadata({}, params.metadata),
      mode: params.mode,
      payment_intent: null,
      allowed_payment_method_types: params.allowed_payment_method_types ?? null,
      payment_method_types: ['card'],
      payment_status: params.mode === 'setup' ? 'no_payment_required' : 'unpaid',
      setup_intent: null,
      status: 'open',
      success_url: params.success_url ?? null,
      ui_mode: 'hosted',
      url: `${this.ctx.baseUrl()}/c/pay/${id}`,
    };
    this.ctx.store.checkoutSessions.insert(session);
    this.ctx.store.lineItems.set(id, items);
    this.intentData.set(id, { ...params.payment_intent_data, ...params.setup_intent_data });
    return session;
  }

  expire(session: CheckoutSession): CheckoutSession {
    if (session.status !== 'open')
      throw invalidRequest(
        `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of ${session.status}.`,
      );
    session.status = 'expired';
    session.url = null;
    // The session's unpaid PaymentIntent can no longer be paid: it is canceled with it (unverified).
    const pi = session.payment_intent ? this.ctx.store.paymentIntents.get(session.payment_intent) : undefined;
    if (pi && ['requires_payment_method', 'requires_confirmation', 'requires_action'].includes(pi.status))
      this.payments.cancel(pi, 'abandoned', true);
    this.ctx.events.emit('checkout.session.expired', session, { status: 'open' });
    return session;
  }

  /** Open sessions whose `expires_at` has passed expire, with `checkout.session.expired`. */
  expireDue(): void {
    for (const session of this.ctx.store.checkoutSessions.all())
      if (session.status === 'open' && session.expires_at <= this.ctx.now()) this.expire(session);
  }

  /** The hosted page's submit: one card attempt; a decline leaves the session open for a retry. */
  pay(session: CheckoutSession, form: CardForm): PayOutcome {
    if (session.status !== 'open')
      return { kind: 'failed', message: 'This Checkout Session is no longer active.' };
    const card = cardForNumber(form.number);
    if (!card) return { kind: 'failed', message: 'Your card number is invalid.' };
    const email = form.email ?? session.customer_email ?? this.customerEmail(session);
    session.customer_details = { email, name: form.name };
    const pm = this.pms.fromCard(card, 'card', {
      name: form.name,
      email,
      expMonth: form.expMonth,
      expYear: form.expYear,
    });
    const data = this.intentData.get(session.id) ?? {};
    try {
      if (session.mode === 'setup') {
        this.ensureCustomer(session, email, form.name, session.customer_creation === 'always');
        const seti = session.setup_intent
          ? this.ctx.store.setupIntents.require(session.setup_intent)
          : this.setups.create({
              customer: session.customer,
              allowed_payment_method_types: ['card'],
              metadata: data.metadata,
              description: data.description,
            });
        this.link(session, seti.id, 'setup_intent');
        this.setups.attempt(seti, pm, { returnUrl: null });
        return seti.status === 'requires_action'
          ? { kind: 'authenticate', intentId: seti.id }
          : { kind: 'complete', session: this.complete(session) };
      }
      const saveCard = Boolean(data.setup_future_usage);
      this.ensureCustomer(session, email, form.name, session.customer_creation === 'always' || saveCard);
      const pi = session.payment_intent
        ? this.ctx.store.paymentIntents.require(session.payment_intent)
        : this.payments.create({
            amount: session.amount_total as number,
            currency: session.currency as string,
            customer: session.customer,
            allowed_payment_method_types: ['card'],
            capture_method: data.capture_method ?? null,
            setup_future_usage: data.setup_future_usage ?? null,
            metadata: data.metadata,
            description: data.description,
          });
      this.link(session, pi.id, 'payment_intent');
      this.payments.attempt(pi, pm, { returnUrl: null });
      return pi.status === 'requires_action'
        ? { kind: 'authenticate', intentId: pi.id }
        : { kind: 'complete', session: this.complete(session) };
    } catch (error) {
      if (error instanceof StripeApiError && error.statusCode === 402)
        return { kind: 'failed', message: checkoutMessage(error) };
      throw error;
    }
  }

  /** After 3-D Secure on an intent that belongs to a session: complete it or say why not. */
  afterAuthentication(sessionId: string): PayOutcome {
    const session = this.ctx.store.checkoutSessions.require(sessionId);
    const intentId = session.payment_intent ?? session.setup_intent;
    const intent = intentId
      ? (this.ctx.store.paymentIntents.get(intentId) ?? this.ctx.store.setupIntents.get(intentId))
      : undefined;
    if (intent && ['succeeded', 'requires_capture'].includes(intent.status))
      return { kind: 'complete', session: this.complete(session) };
    return {
      kind: 'failed',
      message:
        'We are unable to authenticate your payment method. Please choose a different payment method and try again.',
    };
  }

  lineItemsOf(id: string): LineItem[] {
    return this.ctx.store.lineItems.get(id) ?? [];
  }

  private complete(session: CheckoutSession): CheckoutSession {
    const pi = session.payment_intent ? this.ctx.store.paymentIntents.get(session.payment_intent) : undefined;
    session.status = 'complete';
    session.url = null;
    // A manual-capture payment is only authorised: its funds are not yet available (unverified).
    if (pi) session.payment_status = pi.status === 'succeeded' ? 'paid' : 'unpaid';
    this.ctx.events.emit('checkout.session.completed', session);
    return session;
  }

  private link(session: CheckoutSession, intentId: string, field: 'payment_intent' | 'setup_intent'): void {
    session[field] = intentId;
    this.ctx.store.intent(intentId).checkoutSession = session.id;
  }

  private ensureCustomer(
    session: CheckoutSession,
    email: string | null,
    name: string | null,
    create: boolean,
  ): void {
    if (session.customer || !create) return;
    session.customer = this.pms.createCustomer({ email, name }).id;
  }

  private customerEmail(session: CheckoutSession): string | null {
    return session.customer ? (this.ctx.store.customers.get(session.customer)?.email ?? null) : null;
  }

  private lineItems(params: LineItemParam[] | null | undefined): LineItem[] {
    if (!params?.length)
      throw invalidRequest('Missing required param: line_items.', 'line_items', 'parameter_missing');
    return params.map((item, i) => {
      const at = `line_items[${i}]`;
      if (item.price) throw resourceMissing('price', item.price, `${at}[price]`);
      const data = item.price_data;
      if (!data)
        throw invalidRequest(
          `Missing required param: ${at}[price_data].`,
          `${at}[price_data]`,
          'parameter_missing',
        );
      if (!data.product_data && !data.product)
        throw invalidRequest(
          `Missing required param: ${at}[price_data][product_data].`,
          `${at}[price_data][product_data]`,
          'parameter_missing',
        );
      const quantity = item.quantity ?? 1;
      const currency = normalizeCurrency(data.currency, `${at}[price_data][currency]`);
      if (i > 0 && currency !== normalizeCurrency(params[0]?.price_data?.currency ?? ''))
        throw invalidRequest('All line items must use the same currency.', `${at}[price_data][currency]`);
      return {
        id: newId('li'),
        object: 'item' as const,
        amount_discount: 0,
        amount_subtotal: data.unit_amount * quantity,
        amount_tax: 0,
        amount_total: data.unit_amount * quantity,
        currency,
        description: data.product_data?.name ?? data.product ?? '',
        price: {
          id: newId('price'),
          object: 'price' as const,
          currency,
          product: data.product ?? newId('prod', 14),
          type: 'one_time' as const,
          unit_amount: data.unit_amount,
          unit_amount_decimal: String(data.unit_amount),
        },
        quantity,
      };
    });
  }
}

/** Checkout shows a decline in its own words. */
function checkoutMessage(error: StripeApiError): string {
  if (error.fields.decline_code === 'insufficient_funds') return 'Your card has insufficient funds.';
  if (error.fields.code === 'card_declined') return 'Your card has been declined.';
  return error.message;
}
