import { captureBeforeOf, createCharge, type Decline } from './stripe.charges.js';
import { type SimContext, snapshot } from './stripe.context.js';
import { invalidRequest, StripeApiError, unexpectedState } from './stripe.errors.js';
import {
  requireAwaitingAuthentication,
  requireIntentStatus,
  threeDsNextAction,
} from './stripe.intent-rules.js';
import { checkChargeAmount, normalizeCurrency } from './stripe.money.js';
import { paymentMethodsSetting, redirectRequiresReturnUrl } from './stripe.payment-method-types.js';
import { mergeMetadata, type PaymentMethods } from './stripe.payment-methods.js';
import { newId, randomToken } from './stripe.store.js';
import type { PaymentIntent, PaymentMethod } from './stripe.types.js';

/**
 * PaymentIntents: requires_payment_method → requires_confirmation → (requires_action for 3-D
 * Secure) → requires_capture (manual) → succeeded, or canceled. A declined attempt returns the
 * intent to requires_payment_method with `last_payment_error` and throws the 402 card error that
 * carries the intent. Off-session, a card that needs authentication declines with
 * `authentication_required` instead of asking for 3-D Secure.
 */
export interface PaymentIntentParams {
  amount?: number;
  currency?: string;
  customer?: string | null;
  description?: string | null;
  metadata?: Record<string, string | null> | null;
  payment_method?: string | null;
  payment_method_types?: string[] | null;
  allowed_payment_method_types?: string[] | null;
  automatic_payment_methods?: { enabled?: boolean; allow_redirects?: 'always' | 'never' } | null;
  capture_method?: PaymentIntent['capture_method'] | null;
  setup_future_usage?: 'off_session' | 'on_session' | null;
  receipt_email?: string | null;
  statement_descriptor?: string | null;
  confirm?: boolean | null;
  off_session?: boolean | null;
  return_url?: string | null;
}

export interface AttemptOptions {
  offSession?: boolean;
  returnUrl?: string | null;
  /** 3-D Secure already completed for this attempt. */
  authenticated?: boolean;
  /** A card on a reader: the PIN stands in for 3-D Secure. */
  inPerson?: boolean;
}

const CANCELABLE = [
  'requires_payment_method',
  'requires_capture',
  'requires_confirmation',
  'requires_action',
  'processing',
];
const CONFIRMABLE = ['requires_confirmation', 'requires_payment_method', 'requires_action'];
const AUTH_FAILURE =
  'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.';

export class PaymentIntents {
  constructor(
    private readonly ctx: SimContext,
    private readonly pms: PaymentMethods,
  ) {}

  create(params: PaymentIntentParams): PaymentIntent {
    const currency = normalizeCurrency(params.currency as string);
    checkChargeAmount(params.amount as number, currency);
    if (params.customer) this.ctx.store.customers.require(params.customer, 'customer');
    if (params.off_session && !params.confirm)
      throw invalidRequest('You can only pass `off_session` when `confirm` is true.', 'off_session');
    const { types, allowed, automatic } = paymentMethodsSetting(params);
    const pm = params.payment_method ? this.pms.resolve(params.payment_method) : null;
    if (pm) this.pms.checkUsable(pm, params.customer ?? null);
    const id = newId('pi');
    const pi: PaymentIntent = {
      id,
      object: 'payment_intent',
      amount: params.amount as number,
      amount_capturable: 0,
      amount_details: { tip: {} },
      amount_received: 0,
      allowed_payment_method_types: allowed,
      automatic_payment_methods: automatic,
      canceled_at: null,
      cancellation_reason: null,
      capture_method: params.capture_method ?? 'automatic_async',
      client_secret: `${id}_secret_${randomToken(25)}`,
      confirmation_method: 'automatic',
      created: this.ctx.now(),
      currency,
      customer: params.customer ?? null,
      description: params.description ?? null,
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      metadata: mergeMetadata({}, params.metadata),
      next_action: null,
      payment_method: pm?.id ?? null,
      payment_method_types: types,
      receipt_email: params.receipt_email ?? null,
      setup_future_usage: params.setup_future_usage ?? null,
      statement_descriptor: params.statement_descriptor ?? null,
      status: pm ? 'requires_confirmation' : 'requires_payment_method',
    };
    this.ctx.store.paymentIntents.insert(pi);
    this.ctx.events.emit('payment_intent.created', pi);
    if (params.confirm) this.confirm(pi, { off_session: params.off_session, return_url: params.return_url });
    return pi;
  }

  update(pi: PaymentIntent, params: PaymentIntentParams): PaymentIntent {
    const money = [
      'amount',
      'currency',
      'customer',
      'payment_method',
      'capture_method',
      'setup_future_usage',
      'payment_method_types',
      'allowed_payment_method_types',
    ];
    const changing = money.filter((key) => params[key as keyof PaymentIntentParams] !== undefined);
    if (changing.length > 0 && !CONFIRMABLE.includes(pi.status))
      throw unexpectedState(
        'payment_intent_unexpected_state',
        `You cannot update this PaymentIntent's ${changing.join(', ')} because it has a status of ${pi.status}.`,
      );
    if (params.currency) pi.currency = normalizeCurrency(params.currency);
    if (params.amount !== undefined) {
      checkChargeAmount(params.amount as number, pi.currency);
      pi.amount = params.amount as number;
    }
    if (params.customer !== undefined) {
      if (params.customer) this.ctx.store.customers.require(params.customer, 'customer');
      pi.customer = params.customer;
    }
    if (params.payment_method) {
      const pm = this.pms.resolve(params.payment_method);
      this.pms.checkUsable(pm, pi.customer);
      pi.payment_method = pm.id;
      pi.status = 'requires_confirmation';
    }
    if (params.payment_method_types || params.allowed_payment_method_types) {
      const setting = paymentMethodsSetting(params);
      pi.payment_method_types = setting.types;
      pi.allowed_payment_method_types = setting.allowed;
      pi.automatic_payment_methods = setting.automatic;
    }
    if (params.capture_method) pi.capture_method = params.capture_method;
    if (params.setup_future_usage !== undefined) pi.setup_future_usage = params.setup_future_usage;
    if (params.description !== undefined) pi.description = params.description;
    if (params.receipt_email !== undefined) pi.receipt_email = params.receipt_email;
    pi.metadata = mergeMetadata(pi.metadata, params.metadata);
    return pi;
  }

  confirm(
    pi: PaymentIntent,
    params: { payment_method?: string | null; off_session?: boolean | null; return_url?: string | null },
  ): PaymentIntent {
    if (this.ctx.store.intent(pi.id).checkoutSession)
      throw invalidRequest(
        'You cannot confirm this PaymentIntent because it was created by Checkout. Confirm it through the Checkout Session instead.',
      );
    requireIntentStatus('PaymentIntent', pi, 'confirm', CONFIRMABLE);
    const pmId = params.payment_method ?? pi.payment_method;
    if (!pmId)
      throw unexpectedState(
        'payment_intent_unexpected_state',
        "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.",
      );
    const pm = params.payment_method ? this.pms.resolve(params.payment_method) : this.pms.resolve(pmId);
    redirectRequiresReturnUrl(pi.automatic_payment_methods, params.return_url, 'PaymentIntent');
    if (pm.type === 'card_present')
      throw invalidRequest(
        'A card_present PaymentMethod is collected and confirmed on a reader (process_payment_intent), not confirmed through the API.',
        'payment_method',
      );
    this.attempt(pi, pm, { offSession: params.off_session ?? false, returnUrl: params.return_url ?? null });
    return pi;
  }

  /** One payment attempt with `pm`; throws the 402 card error after recording a decline. */
  attempt(pi: PaymentIntent, pm: PaymentMethod, options: AttemptOptions): void {
    this.pms.checkUsable(pm, pi.customer);
    if (!pi.payment_method_types.includes(pm.type))
      throw invalidRequest(
        `The PaymentMethod provided (${pm.type}) is not allowed for this PaymentIntent. Please attach a PaymentMethod of one of the following types: ${pi.payment_method_types.join(', ')}.`,
        'payment_method',
      );
    const state = this.pms.state(pm);
    const intentState = this.ctx.store.intent(pi.id);
    intentState.offSession = options.offSession ?? false;
    intentState.returnUrl = options.returnUrl ?? null;
    pi.payment_method = pm.id;
    pi.last_payment_error = null;
    const { behaviour } = state.card;
    const wantsAuth =
      !options.authenticated &&
      !options.inPerson &&
      (behaviour === 'authenticate_always' ||
        (behaviour === 'authenticate_on_setup' && !(options.offSession && state.setUp)));
    if (wantsAuth && options.offSession) {
      this.decline(pi, pm, {
        code: 'authentication_required',
        declineCode: 'authentication_required',
        message: 'Your card was declined. This transaction requires authentication.',
      });
    }
    if (wantsAuth) {
      pi.status = 'requires_action';
      pi.next_action = threeDsNextAction(this.ctx.baseUrl(), pi.id, options.returnUrl ?? null);
      this.ctx.events.emit('payment_intent.requires_action', pi);
      return;
    }
    if (behaviour === 'decline' && state.card.decline) this.decline(pi, pm, state.card.decline);
    this.succeed(pi, pm, options);
  }

  /** The 3-D Secure page's answer (or the control API's). */
  authenticate(pi: PaymentIntent, approve: boolean): void {
    const pm = this.pms.resolve(requireAwaitingAuthentication('PaymentIntent', pi));
    pi.next_action = null;
    if (approve) {
      this.attempt(pi, pm, { authenticated: true, returnUrl: this.ctx.store.intent(pi.id).returnUrl });
      return;
    }
    pi.status = 'requires_payment_method';
    pi.last_payment_error = new StripeApiError(400, 'invalid_request_error', AUTH_FAILURE, {
      code: 'payment_intent_authentication_failure',
      payment_method: snapshot(pm),
    }).errorObject();
    this.ctx.events.emit('payment_intent.payment_failed', pi);
  }

  capture(
    pi: PaymentIntent,
    params: { amount_to_capture?: number | null; metadata?: Record<string, string | null> | null },
  ): PaymentIntent {
    if (pi.status !== 'requires_capture')
      throw unexpectedState(
        'payment_intent_unexpected_state',
        `This PaymentIntent could not be captured because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
      );
    const amount = params.amount_to_capture ?? pi.amount_capturable;
    if (amount > pi.amount_capturable)
      throw new StripeApiError(
        400,
        'invalid_request_error',
        `The amount to capture (${amount}) must be less than or equal to the amount_capturable (${pi.amount_capturable}).`,
        { code: 'amount_too_large', param: 'amount_to_capture' },
      );
    const charge = this.ctx.store.charges.require(pi.latest_charge as string);
    charge.captured = true;
    charge.amount_captured = amount;
    pi.amount_received = amount;
    pi.amount_capturable = 0;
    pi.status = 'succeeded';
    pi.metadata = mergeMetadata(pi.metadata, params.metadata);
    this.ctx.events.emit('charge.captured', charge, { captured: false, amount_captured: 0 });
    this.ctx.events.emit('payment_intent.succeeded', pi);
    return pi;
  }

  cancel(pi: PaymentIntent, reason: string | null, byCheckout = false): PaymentIntent {
    if (!byCheckout && this.ctx.store.intent(pi.id).checkoutSession)
      throw invalidRequest(
        'You cannot cancel this PaymentIntent because it was created by Checkout. To cancel it, expire the Checkout Session instead.',
      );
    requireIntentStatus('PaymentIntent', pi, 'cancel', CANCELABLE);
    if (pi.status === 'requires_capture' && pi.latest_charge) {
      // Canceling an authorisation releases it: the uncaptured charge counts as refunded.
      const charge = this.ctx.store.charges.require(pi.latest_charge);
      charge.amount_refunded = charge.amount;
      charge.refunded = true;
    }
    pi.status = 'canceled';
    pi.canceled_at = this.ctx.now();
    pi.cancellation_reason = reason;
    pi.amount_capturable = 0;
    pi.next_action = null;
    this.ctx.events.emit('payment_intent.canceled', pi);
    return pi;
  }

  /** Authorisations not captured by their charge's `capture_before` are canceled, as at Stripe. */
  expireAuthorisations(): void {
    for (const pi of this.ctx.store.paymentIntents.all()) {
      if (pi.status !== 'requires_capture' || !pi.latest_charge) continue;
      const charge = this.ctx.store.charges.get(pi.latest_charge);
      const deadline = charge && captureBeforeOf(charge);
      if (!charge || deadline === undefined || deadline > this.ctx.now()) continue;
      this.cancel(pi, 'automatic', true);
      this.ctx.events.emit('charge.expired', charge);
    }
  }

  private succeed(pi: PaymentIntent, pm: PaymentMethod, options: AttemptOptions): void {
    const charge = createCharge(this.ctx, pi, pm, {});
    const state = this.pms.state(pm);
    pi.next_action = null;
    if (pi.setup_future_usage && pi.customer) {
      this.pms.attach(pm, pi.customer);
      state.setUp ||= options.authenticated === true || state.card.behaviour !== 'authenticate_on_setup';
    } else if (!pm.customer && pm.type === 'card') {
      state.consumed = true;
    }
    this.ctx.events.emit('charge.succeeded', charge);
    if (pi.capture_method === 'manual') {
      pi.status = 'requires_capture';
      pi.amount_capturable = pi.amount;
      this.ctx.events.emit('payment_intent.amount_capturable_updated', pi);
    } else {
      pi.status = 'succeeded';
      pi.amount_received = pi.amount;
      this.ctx.events.emit('payment_intent.succeeded', pi);
    }
  }

  private decline(pi: PaymentIntent, pm: PaymentMethod, decline: Decline): never {
    const charge = createCharge(this.ctx, pi, pm, { decline });
    const error = new StripeApiError(402, 'card_error', decline.message, {
      code: decline.code,
      decline_code: decline.declineCode,
      charge: charge.id,
      payment_method: snapshot(pm),
    });
    pi.status = 'requires_payment_method';
    pi.next_action = null;
    pi.last_payment_error = error.errorObject();
    this.ctx.events.emit('charge.failed', charge);
    this.ctx.events.emit('payment_intent.payment_failed', pi);
    throw new StripeApiError(402, 'card_error', decline.message, {
      ...error.fields,
      payment_intent: snapshot(pi),
    });
  }
}
