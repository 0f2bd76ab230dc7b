export type { CardForm, PayOutcome } from './stripe.checkout.js';
export { runStripeCli } from './stripe.cli.js';
export { StripeControl } from './stripe.control.js';
export { StripeApiError } from './stripe.errors.js';
export type { StripeFault } from './stripe.faults.js';
export * from './stripe.simulator.js';
export type * from './stripe.types.js';
export { type Delivery, signatureHeader, signPayload, type WebhookBehaviour } from './stripe.webhooks.js';
