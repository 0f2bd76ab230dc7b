import type { PaymentState, RefundState } from '@clubos/shared/payments';
import type Stripe from 'stripe';

/** Metadata keys we put on every Checkout Session, PaymentIntent and Refund we create. */
export const META = {
  booking: 'clubos_booking_id',
  payment: 'clubos_payment_id',
  refund: 'clubos_refund_id',
} as const;

/**
 * What a Stripe event means for our ledger: a payment or a refund reaching a state, with the ids to
 * find our row by, or nothing (an event type we store but do not act on).
 */
export type MappedStripeEvent =
  | {
      kind: 'payment';
      status: PaymentState;
      amountCents: number;
      paymentId: string | null;
      providerPaymentId: string | null;
      checkoutId: string | null;
    }
  | {
      kind: 'refund';
      status: RefundState;
      amountCents: number;
      refundId: string | null;
      providerRefundId: string;
      paymentId: string | null;
      providerPaymentId: string | null;
      reason: string | null;
    }
  | { kind: 'ignored' };

/** Metadata is free text: a malformed id must not become a failed query (it would abort the transaction). */
export const isUuid = (value: string | null): value is string =>
  value !== null && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

const idOf = (value: string | { id: string } | null | undefined): string | null =>
  value == null ? null : typeof value === 'string' ? value : value.id;

const PAYMENT_INTENT_STATES: Partial<Record<string, PaymentState>> = {
  'payment_intent.created': 'pending',
  'payment_intent.requires_action': 'pending',
  'payment_intent.amount_capturable_updated': 'pending',
  'payment_intent.payment_failed': 'failed',
  'payment_intent.canceled': 'canceled',
  'payment_intent.succeeded': 'succeeded',
};

const REFUND_STATES: Record<string, RefundState> = {
  pending: 'pending',
  requires_action: 'pending',
  succeeded: 'succeeded',
  failed: 'failed',
  canceled: 'failed',
};

export function mapStripeEvent(event: Stripe.Event): MappedStripeEvent {
  const paymentState = PAYMENT_INTENT_STATES[event.type];
  if (paymentState !== undefined) {
    const intent = event.data.object as Stripe.PaymentIntent;
    return {
      kind: 'payment',
      status: paymentState,
      amountCents: paymentState === 'succeeded' ? intent.amount_received : intent.amount,
      paymentId: intent.metadata?.[META.payment] ?? null,
      providerPaymentId: intent.id,
      checkoutId: null,
    };
  }
  if (event.type === 'checkout.session.completed' || event.type === 'checkout.session.expired') {
    const session = event.data.object as Stripe.Checkout.Session;
    if (session.mode !== 'payment') return { kind: 'ignored' };
    const status: PaymentState =
      event.type === 'checkout.session.expired'
        ? 'canceled'
        : session.payment_status === 'paid'
          ? 'succeeded'
          : 'pending';
    return {
      kind: 'payment',
      status,
      amountCents: session.amount_total ?? 0,
      paymentId: session.metadata?.[META.payment] ?? null,
      providerPaymentId: idOf(session.payment_intent),
      checkoutId: session.id,
    };
  }
  if (event.type === 'refund.created' || event.type === 'refund.updated' || event.type === 'refund.failed') {
    const refund = event.data.object as Stripe.Refund;
    return {
      kind: 'refund',
      status: REFUND_STATES[refund.status ?? 'pending'] ?? 'pending',
      amountCents: refund.amount,
      refundId: refund.metadata?.[META.refund] ?? null,
      providerRefundId: refund.id,
      paymentId: refund.metadata?.[META.payment] ?? null,
      providerPaymentId: idOf(refund.payment_intent),
      reason: refund.reason ?? null,
    };
  }
  return { kind: 'ignored' };
}
