import { refundable } from './stripe.charges.js';
import type { SimContext } from './stripe.context.js';
import { invalidRequest, StripeApiError, unexpectedState } from './stripe.errors.js';
import { formatMoney } from './stripe.money.js';
import { mergeMetadata } from './stripe.payment-methods.js';
import { newId } from './stripe.store.js';
import type { Charge, Refund } from './stripe.types.js';

/**
 * Refunds of a captured charge, full (no amount: the remainder) or partial, never above what was
 * captured. Card refunds succeed at once in test mode; on the refund-failure test card
 * (4000 0000 0000 5126) the refund turns `failed` shortly after, with `refund.failed`.
 */
export interface RefundParams {
  payment_intent?: string | null;
  charge?: string | null;
  amount?: number | null;
  reason?: Refund['reason'];
  metadata?: Record<string, string | null> | null;
}

export class Refunds {
  constructor(
    private readonly ctx: SimContext,
    /** Real time before a refund on the refund-failure card fails. */
    private readonly failureDelayMs: number,
  ) {}

  create(params: RefundParams): Refund {
    const charge = this.chargeToRefund(params);
    const remaining = refundable(this.ctx, charge);
    if (remaining <= 0)
      throw new StripeApiError(
        400,
        'invalid_request_error',
        `Charge ${charge.id} has already been refunded.`,
        {
          code: 'charge_already_refunded',
        },
      );
    const amount = params.amount ?? remaining;
    if (amount > remaining)
      throw new StripeApiError(
        400,
        'invalid_request_error',
        `Refund amount (${formatMoney(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatMoney(remaining, charge.currency)})`,
        { code: 'amount_too_large', param: 'amount' },
      );
    const refund: Refund = {
      id: newId('re'),
      object: 'refund',
      amount,
      balance_transaction: null,
      charge: charge.id,
      created: this.ctx.now(),
      currency: charge.currency,
      livemode: false,
      metadata: mergeMetadata({}, params.metadata),
      payment_intent: charge.payment_intent,
      reason: params.reason ?? null,
      receipt_number: null,
      status: 'succeeded',
    };
    this.ctx.store.refunds.insert(refund);
    const previous = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded >= charge.amount_captured;
    this.ctx.events.emit('refund.created', refund);
    this.ctx.events.emit('charge.refunded', charge, previous);
    const state = this.ctx.store.paymentMethodState.get(charge.payment_method);
    if (state?.card.behaviour === 'refund_fails')
      this.ctx.later(this.failureDelayMs, () => this.fail(refund.id));
    return refund;
  }

  update(refund: Refund, params: { metadata?: Record<string, string | null> | null }): Refund {
    refund.metadata = mergeMetadata(refund.metadata, params.metadata);
    return refund;
  }

  cancel(refund: Refund): Refund {
    if (refund.status !== 'requires_action')
      throw unexpectedState(
        'refund_unexpected_state',
        `Refund ${refund.id} cannot be canceled because it has a status of ${refund.status}. Only refunds with a status of requires_action can be canceled.`,
      );
    refund.status = 'canceled';
    this.ctx.events.emit('refund.updated', refund, { status: 'requires_action' });
    return refund;
  }

  private fail(id: string): void {
    const refund = this.ctx.store.refunds.get(id);
    if (refund?.status !== 'succeeded') return;
    refund.status = 'failed';
    refund.failure_reason = 'expired_or_canceled_card';
    const charge = this.ctx.store.charges.get(refund.charge);
    if (charge) {
      charge.amount_refunded -= refund.amount;
      charge.refunded = false;
    }
    this.ctx.events.emit('refund.updated', refund, { status: 'succeeded' });
    this.ctx.events.emit('refund.failed', refund);
  }

  private chargeToRefund(params: RefundParams): Charge {
    if (params.payment_intent && params.charge)
      throw invalidRequest('You cannot specify both `charge` and `payment_intent`.', 'payment_intent');
    if (params.charge) {
      const charge = this.ctx.store.charges.require(params.charge, 'charge');
      if (!charge.captured)
        throw invalidRequest(`Charge ${charge.id} has not been captured and cannot be refunded.`, 'charge');
      return charge;
    }
    if (!params.payment_intent)
      throw invalidRequest(
        'One of the following params should be provided for this request: payment_intent or charge.',
        'payment_intent',
        'parameter_missing',
      );
    const pi = this.ctx.store.paymentIntents.require(params.payment_intent, 'payment_intent');
    if (pi.status === 'requires_capture')
      throw invalidRequest(
        `PaymentIntent ${pi.id} has not been captured. Cancel it to release the authorization instead of refunding it.`,
        'payment_intent',
      );
    const charge = pi.latest_charge ? this.ctx.store.charges.get(pi.latest_charge) : undefined;
    if (pi.status !== 'succeeded' || !charge?.captured)
      throw invalidRequest(
        `This PaymentIntent (${pi.id}) does not have a successful charge to refund.`,
        'payment_intent',
      );
    return charge;
  }
}
