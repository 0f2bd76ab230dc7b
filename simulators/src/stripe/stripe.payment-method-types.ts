import { invalidRequest } from './stripe.errors.js';
import type { PaymentIntent } from './stripe.types.js';

/** Stripe's error when automatic payment methods may redirect and a server-side confirm has no return_url. */
export function redirectRequiresReturnUrl(
  apm: PaymentIntent['automatic_payment_methods'],
  returnUrl: string | null | undefined,
  kind: 'PaymentIntent' | 'SetupIntent',
): void {
  if (apm?.enabled && apm.allow_redirects === 'always' && !returnUrl)
    throw invalidRequest(
      `This ${kind} is configured to accept payment methods enabled in your Dashboard. Because some of these payment methods might redirect your customer off of your page, you must provide a \`return_url\`. If you don't want to accept redirect-based payment methods, set \`automatic_payment_methods[enabled]\` to \`true\` and \`automatic_payment_methods[allow_redirects]\` to \`never\` when creating Setup Intents and Payment Intents.`,
      'return_url',
    );
}

/**
 * The payment method types of a new intent. `payment_method_types` (API versions to 2026-08) and
 * `allowed_payment_method_types` (from 2026-09-30, where the former is gone) are both accepted and
 * mean the same here: an explicit list, no automatic payment methods. Without either, automatic
 * payment methods are on (API versions since 2023-08-16) and the simulator offers cards.
 */
export function paymentMethodsSetting(params: {
  payment_method_types?: string[] | null;
  allowed_payment_method_types?: string[] | null;
  automatic_payment_methods?: { enabled?: boolean; allow_redirects?: 'always' | 'never' } | null;
}): { types: string[]; allowed: string[] | null; automatic: PaymentIntent['automatic_payment_methods'] } {
  if (params.payment_method_types?.length && params.allowed_payment_method_types?.length)
    throw invalidRequest(
      'You may only specify one of these parameters: allowed_payment_method_types, payment_method_types.',
      'allowed_payment_method_types',
    );
  const name = params.allowed_payment_method_types?.length
    ? 'allowed_payment_method_types'
    : 'payment_method_types';
  const explicit = params.allowed_payment_method_types?.length
    ? params.allowed_payment_method_types
    : params.payment_method_types;
  if (explicit?.length) {
    for (const [i, type] of explicit.entries())
      if (type !== 'card' && type !== 'card_present')
        throw invalidRequest(
          `The payment method type "${type}" is not modelled by the simulator (card and card_present are).`,
          `${name}[${i}]`,
        );
    return {
      types: [...explicit],
      allowed: name === 'allowed_payment_method_types' ? [...explicit] : null,
      automatic: null,
    };
  }
  const apm = params.automatic_payment_methods;
  return {
    types: ['card'],
    allowed: null,
    automatic: { enabled: apm?.enabled ?? true, allow_redirects: apm?.allow_redirects ?? 'always' },
  };
}
