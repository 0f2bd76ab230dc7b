import { CheckoutSessions } from './stripe.checkout.js';
import type { SimContext } from './stripe.context.js';
import { PaymentIntents } from './stripe.payment-intents.js';
import { PaymentMethods } from './stripe.payment-methods.js';
import { Refunds } from './stripe.refunds.js';
import { SetupIntents } from './stripe.setup-intents.js';
import type { StripeStore } from './stripe.store.js';
import { Terminal } from './stripe.terminal.js';
import type { WebhookDispatcher } from './stripe.webhooks.js';

/** The simulated account's services, built once and shared by the API, the hosted page and the control API. */
export interface Services {
  ctx: SimContext;
  store: StripeStore;
  webhooks: WebhookDispatcher;
  pms: PaymentMethods;
  payments: PaymentIntents;
  setups: SetupIntents;
  refunds: Refunds;
  checkout: CheckoutSessions;
  terminal: Terminal;
  /** Expires due Checkout Sessions and uncaptured authorisations (run on every request and clock move). */
  sweep(): void;
}

export function buildServices(
  ctx: SimContext,
  webhooks: WebhookDispatcher,
  refundFailureDelayMs: number,
): Services {
  const pms = new PaymentMethods(ctx);
  const payments = new PaymentIntents(ctx, pms);
  const setups = new SetupIntents(ctx, pms);
  const refunds = new Refunds(ctx, refundFailureDelayMs);
  const checkout = new CheckoutSessions(ctx, pms, payments, setups);
  const terminal = new Terminal(ctx, pms, payments);
  return {
    ctx,
    store: ctx.store,
    webhooks,
    pms,
    payments,
    setups,
    refunds,
    checkout,
    terminal,
    sweep() {
      ctx.events.within({ id: null, idempotency_key: null }, () => {
        checkout.expireDue();
        payments.expireAuthorisations();
      });
    },
  };
}
