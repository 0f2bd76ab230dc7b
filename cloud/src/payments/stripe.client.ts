import Stripe from 'stripe';
import { type DependencyBreaker, FailedAnswer } from '../common/circuit-breaker.js';
import type { PaymentsConfig } from '../config.js';

/**
 * The one Stripe SDK instance of the cloud, or null when no secret key is set (every facility then
 * pays at the venue). `STRIPE_API_URL` points it at the simulator through the SDK's own
 * host/port/protocol options; the SDK retries with the idempotency key we pass
 * (docs/decisions/018-payments.md).
 */
export function createStripeClient(config: PaymentsConfig, breaker?: DependencyBreaker): Stripe | null {
  if (config.stripeSecretKey === undefined) return null;
  return new Stripe(config.stripeSecretKey, {
    ...(config.api ?? {}),
    ...(breaker ? { httpClient: breakerHttpClient(breaker) } : {}),
    maxNetworkRetries: config.maxNetworkRetries,
    timeout: config.timeoutMs,
    appInfo: { name: 'ClubOS Booking' },
  });
}

/**
 * The SDK's own HTTP client with every request through `breaker`. An open breaker's refusal reaches
 * the services as a `StripeConnectionError`, which they already treat as "Stripe down" (decision 018).
 */
function breakerHttpClient(breaker: DependencyBreaker): Stripe.HttpClient {
  const inner = Stripe.createNodeHttpClient();
  const outer = Object.create(inner) as Stripe.HttpClient;
  outer.makeRequest = (...args: Parameters<Stripe.HttpClient['makeRequest']>) =>
    breaker.call(async () => {
      const response = await inner.makeRequest(...args);
      if (response.getStatusCode() >= 500) throw new FailedAnswer(response);
      return response;
    });
  return outer;
}

/**
 * Checks a webhook's `Stripe-Signature` against the raw body (HMAC-SHA256 with the endpoint's
 * secret, five minutes of tolerance) and parses the event. Needs no API key, so the receiver works
 * even where the SDK instance is not built. Throws on a forged or stale signature.
 */
const verifier = new Stripe('sk_test_signature_check_only');
export function verifyStripeEvent(rawBody: Buffer, signature: string, secret: string): Stripe.Event {
  return verifier.webhooks.constructEvent(rawBody, signature, secret);
}

/** Stripe answered that the object does not exist (its error code `resource_missing`). */
export const isMissingAtStripe = (error: unknown): boolean =>
  error instanceof Stripe.errors.StripeError && error.code === 'resource_missing';
