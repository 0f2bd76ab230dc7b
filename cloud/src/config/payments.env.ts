import { ConfigError, EnvInt, EnvOptional, EnvText, EnvUrl } from '@clubos/shared/config';
import type { Static, TObject } from '@sinclair/typebox';
import cron from 'node-cron';

/** Stripe (src/payments/). */
export const PAYMENTS_ENV = {
  STRIPE_SECRET_KEY: EnvOptional({
    pattern: '^(sk|rk)_(test|live)_[A-Za-z0-9_]+$',
    description: 'a Stripe secret key (sk_test_… or sk_live_…)',
    secret: true,
  }),
  STRIPE_WEBHOOK_SECRET: EnvOptional({
    pattern: '^whsec_[A-Za-z0-9_+/=]+$',
    description: 'a Stripe webhook signing secret (whsec_…)',
    secret: true,
  }),
  STRIPE_API_URL: EnvUrl(),
  STRIPE_MAX_NETWORK_RETRIES: EnvInt(2, 0, 10),
  STRIPE_TIMEOUT_MS: EnvInt(10_000, 100, 120_000),
  STRIPE_RECONCILE_CRON: EnvText('30 3 * * *'),
};

export interface PaymentsConfig {
  /** `STRIPE_SECRET_KEY`; undefined turns online payment off. */
  stripeSecretKey: string | undefined;
  /** `STRIPE_WEBHOOK_SECRET` (whsec_…) that signs the webhooks; undefined → the receiver answers 503. */
  webhookSecret: string | undefined;
  /** The SDK's own host/port/protocol, from `STRIPE_API_URL` (the simulator); undefined → Stripe. */
  api: { host: string; port: number; protocol: 'http' | 'https' } | undefined;
  /** The SDK retries 409, 5xx and lost connections with the same idempotency key this many times. */
  maxNetworkRetries: number;
  timeoutMs: number;
  /** `STRIPE_RECONCILE_CRON`, UTC (default `30 3 * * *`); `off` turns the nightly reconciliation off. */
  reconcileCron?: string;
  /** How often checkout holds past their expiry are swept (ms; default 30 s); 0 turns it off. */
  expirySweepMs?: number;
}

export function paymentsConfig(env: Static<TObject<typeof PAYMENTS_ENV>>): PaymentsConfig {
  return {
    stripeSecretKey: env.STRIPE_SECRET_KEY,
    webhookSecret: env.STRIPE_WEBHOOK_SECRET,
    api: stripeApiOptions(env.STRIPE_API_URL),
    maxNetworkRetries: env.STRIPE_MAX_NETWORK_RETRIES,
    timeoutMs: env.STRIPE_TIMEOUT_MS,
    reconcileCron: reconcileCron(env.STRIPE_RECONCILE_CRON),
  };
}

/** `STRIPE_API_URL` as the Stripe SDK's `host`, `port` and `protocol` options. */
export function stripeApiOptions(url: string | undefined): PaymentsConfig['api'] {
  if (url === undefined) return undefined;
  const parsed = new URL(url);
  const protocol = parsed.protocol === 'http:' ? 'http' : 'https';
  if (parsed.pathname !== '/' || parsed.search !== '') {
    throw new ConfigError(
      'STRIPE_API_URL',
      `must be a bare origin such as http://127.0.0.1:12111, got "${url}"`,
    );
  }
  const port = parsed.port === '' ? (protocol === 'http' ? 80 : 443) : Number(parsed.port);
  return { host: parsed.hostname, port, protocol };
}

/** A cron expression node-cron accepts (5 or 6 fields, UTC), or `off`. */
export function reconcileCron(value: string): string {
  if (value !== 'off' && !cron.validate(value)) {
    throw new ConfigError(
      'STRIPE_RECONCILE_CRON',
      `must be a cron expression such as "30 3 * * *" or off, got "${value}"`,
    );
  }
  return value;
}
