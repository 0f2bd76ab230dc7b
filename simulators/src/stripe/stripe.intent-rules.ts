import { unexpectedState } from './stripe.errors.js';
import type { NextAction } from './stripe.types.js';

// Rules PaymentIntents and SetupIntents share: which status allows confirming or canceling, and
// how an intent waiting for 3-D Secure sends the customer to the authentication page.

const UNEXPECTED_STATE = {
  PaymentIntent: 'payment_intent_unexpected_state',
  SetupIntent: 'setup_intent_unexpected_state',
} as const;

/** Refuses to confirm or cancel an intent whose status does not allow it, in Stripe's words. */
export function requireIntentStatus(
  kind: keyof typeof UNEXPECTED_STATE,
  intent: { status: string },
  action: 'confirm' | 'cancel',
  allowed: readonly string[],
): void {
  if (allowed.includes(intent.status)) return;
  throw unexpectedState(
    UNEXPECTED_STATE[kind],
    `You cannot ${action} this ${kind} because it has a status of ${intent.status}. Only a ${kind} with one of the following statuses may be ${action === 'confirm' ? 'confirmed' : 'canceled'}: ${allowed.join(', ')}.`,
  );
}

/** Refuses a 3-D Secure answer for an intent that is not waiting for one; returns its payment method. */
export function requireAwaitingAuthentication(
  kind: keyof typeof UNEXPECTED_STATE,
  intent: { id: string; status: string; payment_method: string | null },
): string {
  if (intent.status === 'requires_action' && intent.payment_method) return intent.payment_method;
  throw unexpectedState(
    UNEXPECTED_STATE[kind],
    `${kind} ${intent.id} is not awaiting 3-D Secure (status ${intent.status}).`,
  );
}

/** Where an intent waiting for 3-D Secure sends the customer: back to `returnUrl`, or via Stripe.js. */
export function threeDsNextAction(baseUrl: string, intentId: string, returnUrl: string | null): NextAction {
  const url = `${baseUrl}/3ds/${intentId}`;
  return returnUrl
    ? { type: 'redirect_to_url', redirect_to_url: { url, return_url: returnUrl } }
    : { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: url } };
}
