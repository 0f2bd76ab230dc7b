import { createHash } from 'node:crypto';
import { cardForToken, isTestToken, type TestCard } from './stripe.cards.js';
import type { SimContext } from './stripe.context.js';
import { invalidRequest, resourceMissing, StripeApiError } from './stripe.errors.js';
import { newId, type PaymentMethodState } from './stripe.store.js';
import type { CardDetails, Customer, Metadata, PaymentMethod } from './stripe.types.js';

/**
 * Customers and their saved cards. A test token (`pm_card_visa`…) used anywhere a PaymentMethod id
 * goes becomes a fresh PaymentMethod, as at Stripe. A PaymentMethod used for a payment without
 * being attached, or detached, cannot be used again; declining test cards cannot be attached
 * (except `pm_card_chargeCustomerFail`, which attaches and then declines every charge).
 */
export interface CardInput {
  name?: string | null;
  email?: string | null;
  expMonth?: number;
  expYear?: number;
}

export class PaymentMethods {
  constructor(private readonly ctx: SimContext) {}

  createCustomer(params: {
    email?: string | null;
    name?: string | null;
    phone?: string | null;
    description?: string | null;
    metadata?: Record<string, string | null> | null;
  }): Customer {
    const customer: Customer = {
      id: newId('cus', 14),
      object: 'customer',
      address: null,
      balance: 0,
      created: this.ctx.now(),
      currency: null,
      default_source: null,
      delinquent: false,
      description: params.description ?? null,
      email: params.email ?? null,
      invoice_settings: { default_payment_method: null, custom_fields: null, footer: null },
      livemode: false,
      metadata: mergeMetadata({}, params.metadata),
      name: params.name ?? null,
      phone: params.phone ?? null,
      preferred_locales: [],
      shipping: null,
      tax_exempt: 'none',
      test_clock: null,
    };
    this.ctx.store.customers.insert(customer);
    this.ctx.events.emit('customer.created', customer);
    return customer;
  }

  fromCard(card: TestCard, type: 'card' | 'card_present', input: CardInput = {}): PaymentMethod {
    const year = new Date(this.ctx.nowMs()).getUTCFullYear();
    const details: CardDetails = {
      brand: card.brand,
      country: 'US',
      display_brand: card.brand,
      exp_month: input.expMonth ?? 12,
      exp_year: input.expYear ?? year + 3,
      fingerprint: createHash('sha256').update(card.number).digest('base64url').slice(0, 16),
      funding: 'credit',
      last4: card.number.slice(-4),
    };
    const pm: PaymentMethod = {
      id: newId('pm'),
      object: 'payment_method',
      allow_redisplay: 'unspecified',
      billing_details: { address: null, email: input.email ?? null, name: input.name ?? null, phone: null },
      ...(type === 'card'
        ? {
            card: {
              ...details,
              checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
              networks: { available: [card.brand], preferred: null },
              three_d_secure_usage: { supported: true },
              wallet: null,
            },
          }
        : { card_present: { ...details, read_method: 'contactless_emv' } }),
      created: this.ctx.now(),
      customer: null,
      livemode: false,
      metadata: {},
      type,
    };
    this.ctx.store.paymentMethods.insert(pm);
    this.ctx.store.paymentMethodState.set(pm.id, { card, consumed: false, setUp: false });
    return pm;
  }

  /** A PaymentMethod id or test token, as a request names it in `param`. */
  resolve(idOrToken: string, param = 'payment_method'): PaymentMethod {
    if (isTestToken(idOrToken)) {
      const card = cardForToken(idOrToken);
      if (!card) throw resourceMissing('PaymentMethod', idOrToken, param);
      return this.fromCard(card, 'card');
    }
    const pm = this.ctx.store.paymentMethods.get(idOrToken);
    if (!pm) throw resourceMissing('PaymentMethod', idOrToken, param);
    return pm;
  }

  state(pm: PaymentMethod): PaymentMethodState {
    return this.ctx.store.paymentMethodState.get(pm.id) as PaymentMethodState;
  }

  /** Refuses a PaymentMethod that Stripe would refuse for a payment by `customer`. */
  checkUsable(pm: PaymentMethod, customer: string | null, param = 'payment_method'): void {
    if (this.state(pm).consumed)
      throw invalidRequest(
        'The provided PaymentMethod was previously used with a PaymentIntent without Customer attachment, shared with a connected account without Customer attachment, or was detached from a Customer. It may not be used again. To use a PaymentMethod multiple times, you must attach it to a Customer first.',
        param,
      );
    if (pm.customer && pm.customer !== customer)
      throw invalidRequest(
        customer
          ? `The provided PaymentMethod belongs to a different Customer (${pm.customer}).`
          : `The provided PaymentMethod is attached to a Customer (${pm.customer}); pass that Customer's id in \`customer\` to use it.`,
        param,
      );
  }

  attach(pm: PaymentMethod, customerId: string, param = 'customer'): PaymentMethod {
    this.ctx.store.customers.require(customerId, param);
    const state = this.state(pm);
    if (pm.customer === customerId) return pm;
    if (pm.customer)
      throw invalidRequest('The payment method you provided has already been attached to a customer.', param);
    if (state.consumed) this.checkUsable(pm, customerId, 'payment_method');
    const { card } = state;
    if (card.behaviour === 'decline' && !card.attachable && card.decline) {
      throw new StripeApiError(402, 'card_error', card.decline.message, {
        code: card.decline.code,
        decline_code: card.decline.declineCode,
        param: card.decline.code === 'card_declined' ? undefined : 'number',
      });
    }
    pm.customer = customerId;
    this.ctx.events.emit('payment_method.attached', pm);
    return pm;
  }

  detach(pm: PaymentMethod): PaymentMethod {
    if (!pm.customer)
      throw invalidRequest(
        'The payment method you provided is not attached to a customer so detachment is impossible.',
        'payment_method',
      );
    const previous = pm.customer;
    pm.customer = null;
    this.state(pm).consumed = true;
    const customer = this.ctx.store.customers.get(previous);
    if (customer?.invoice_settings.default_payment_method === pm.id)
      customer.invoice_settings.default_payment_method = null;
    this.ctx.events.emit('payment_method.detached', pm, { customer: previous });
    return pm;
  }

  deleteCustomer(customer: Customer): { id: string; object: 'customer'; deleted: true } {
    for (const pm of this.ctx.store.paymentMethods.all()) if (pm.customer === customer.id) this.detach(pm);
    this.ctx.store.customers.delete(customer.id);
    this.ctx.events.emit('customer.deleted', customer);
    return { id: customer.id, object: 'customer', deleted: true };
  }
}

/** Stripe's metadata update: a key set to '' (null here) is removed, other keys are kept. */
export function mergeMetadata(
  current: Metadata,
  change: Record<string, string | null> | null | undefined,
): Metadata {
  if (change === undefined) return current;
  if (change === null) return {};
  const out = { ...current };
  for (const [key, value] of Object.entries(change)) {
    if (value === null) delete out[key];
    else out[key] = value;
  }
  return out;
}
