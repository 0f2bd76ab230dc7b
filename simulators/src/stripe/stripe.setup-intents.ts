import { type SimContext, snapshot } from './stripe.context.js';
import { invalidRequest, StripeApiError, unexpectedState } from './stripe.errors.js';
import {
  requireAwaitingAuthentication,
  requireIntentStatus,
  threeDsNextAction,
} from './stripe.intent-rules.js';
import { paymentMethodsSetting, redirectRequiresReturnUrl } from './stripe.payment-method-types.js';
import { mergeMetadata, type PaymentMethods } from './stripe.payment-methods.js';
import { newId, randomToken } from './stripe.store.js';
import type { PaymentMethod, SetupIntent } from './stripe.types.js';

/**
 * SetupIntents save a card for later (off-session) use: confirm with a card, 3-D Secure where the
 * card asks for it on setup, then `succeeded` with the card attached to the intent's customer.
 * A declining card fails with a 402 carrying the SetupIntent.
 */
export interface SetupIntentParams {
  customer?: string | null;
  payment_method?: string | null;
  payment_method_types?: string[] | null;
  allowed_payment_method_types?: string[] | null;
  automatic_payment_methods?: { enabled?: boolean; allow_redirects?: 'always' | 'never' } | null;
  usage?: 'off_session' | 'on_session' | null;
  description?: string | null;
  metadata?: Record<string, string | null> | null;
  confirm?: boolean | null;
  return_url?: string | null;
}

const CONFIRMABLE = ['requires_payment_method', 'requires_confirmation', 'requires_action'];

export class SetupIntents {
  constructor(
    private readonly ctx: SimContext,
    private readonly pms: PaymentMethods,
  ) {}

  create(params: SetupIntentParams): SetupIntent {
    if (params.customer) this.ctx.store.customers.require(params.customer, 'customer');
    const { types, allowed, automatic } = paymentMethodsSetting(params);
    const pm = params.payment_method ? this.pms.resolve(params.payment_method) : null;
    const id = newId('seti');
    const seti: SetupIntent = {
      id,
      object: 'setup_intent',
      allowed_payment_method_types: allowed,
      automatic_payment_methods: automatic,
      cancellation_reason: null,
      client_secret: `${id}_secret_${randomToken(25)}`,
      created: this.ctx.now(),
      customer: params.customer ?? null,
      description: params.description ?? null,
      last_setup_error: null,
      livemode: false,
      metadata: mergeMetadata({}, params.metadata),
      next_action: null,
      payment_method: pm?.id ?? null,
      payment_method_types: types,
      status: pm ? 'requires_confirmation' : 'requires_payment_method',
      usage: params.usage ?? 'off_session',
    };
    this.ctx.store.setupIntents.insert(seti);
    this.ctx.events.emit('setup_intent.created', seti);
    if (params.confirm) this.confirm(seti, { return_url: params.return_url });
    return seti;
  }

  update(seti: SetupIntent, params: SetupIntentParams): SetupIntent {
    if (
      (params.customer !== undefined || params.payment_method !== undefined) &&
      !CONFIRMABLE.includes(seti.status)
    )
      throw unexpectedState(
        'setup_intent_unexpected_state',
        `You cannot update this SetupIntent because it has a status of ${seti.status}.`,
      );
    if (params.customer) seti.customer = this.ctx.store.customers.require(params.customer, 'customer').id;
    if (params.payment_method) {
      seti.payment_method = this.pms.resolve(params.payment_method).id;
      seti.status = 'requires_confirmation';
    }
    if (params.description !== undefined) seti.description = params.description;
    seti.metadata = mergeMetadata(seti.metadata, params.metadata);
    return seti;
  }

  confirm(
    seti: SetupIntent,
    params: { payment_method?: string | null; return_url?: string | null },
  ): SetupIntent {
    if (this.ctx.store.intent(seti.id).checkoutSession)
      throw invalidRequest('You cannot confirm this SetupIntent because it was created by Checkout.');
    requireIntentStatus('SetupIntent', seti, 'confirm', CONFIRMABLE);
    const pmId = params.payment_method ?? seti.payment_method;
    if (!pmId)
      throw unexpectedState(
        'setup_intent_unexpected_state',
        "You cannot confirm this SetupIntent because it's missing a payment method. Update it with a payment method or confirm it again with one.",
      );
    const pm = this.pms.resolve(pmId);
    redirectRequiresReturnUrl(seti.automatic_payment_methods, params.return_url, 'SetupIntent');
    this.attempt(seti, pm, { returnUrl: params.return_url ?? null });
    return seti;
  }

  attempt(
    seti: SetupIntent,
    pm: PaymentMethod,
    options: { returnUrl: string | null; authenticated?: boolean },
  ): void {
    this.pms.checkUsable(pm, seti.customer);
    this.ctx.store.intent(seti.id).returnUrl = options.returnUrl;
    seti.payment_method = pm.id;
    seti.last_setup_error = null;
    const { card } = this.pms.state(pm);
    if (
      !options.authenticated &&
      (card.behaviour === 'authenticate_always' || card.behaviour === 'authenticate_on_setup')
    ) {
      seti.status = 'requires_action';
      seti.next_action = threeDsNextAction(this.ctx.baseUrl(), seti.id, options.returnUrl);
      this.ctx.events.emit('setup_intent.requires_action', seti);
      return;
    }
    if (card.behaviour === 'decline' && !card.attachable && card.decline) {
      const error = new StripeApiError(402, 'card_error', card.decline.message, {
        code: card.decline.code,
        decline_code: card.decline.declineCode,
        payment_method: snapshot(pm),
      });
      seti.status = 'requires_payment_method';
      seti.next_action = null;
      seti.last_setup_error = error.errorObject();
      this.ctx.events.emit('setup_intent.setup_failed', seti);
      throw new StripeApiError(402, 'card_error', card.decline.message, {
        ...error.fields,
        setup_intent: snapshot(seti),
      });
    }
    if (seti.customer) this.pms.attach(pm, seti.customer);
    this.pms.state(pm).setUp = true;
    seti.status = 'succeeded';
    seti.next_action = null;
    this.ctx.events.emit('setup_intent.succeeded', seti);
  }

  authenticate(seti: SetupIntent, approve: boolean): void {
    const pm = this.pms.resolve(requireAwaitingAuthentication('SetupIntent', seti));
    if (approve) {
      this.attempt(seti, pm, { returnUrl: this.ctx.store.intent(seti.id).returnUrl, authenticated: true });
      return;
    }
    seti.status = 'requires_payment_method';
    seti.next_action = null;
    seti.last_setup_error = new StripeApiError(
      400,
      'invalid_request_error',
      'The latest attempt to set up the payment method has failed because authentication failed.',
      { code: 'setup_intent_authentication_failure', payment_method: snapshot(pm) },
    ).errorObject();
    this.ctx.events.emit('setup_intent.setup_failed', seti);
  }

  cancel(seti: SetupIntent, reason: string | null): SetupIntent {
    requireIntentStatus('SetupIntent', seti, 'cancel', CONFIRMABLE);
    seti.status = 'canceled';
    seti.cancellation_reason = reason;
    seti.next_action = null;
    this.ctx.events.emit('setup_intent.canceled', seti);
    return seti;
  }
}
