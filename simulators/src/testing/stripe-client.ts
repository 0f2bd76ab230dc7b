import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import {
  type StripeSimulator,
  type StripeSimulatorOptions,
  startStripeSimulator,
} from '../stripe/stripe.simulator.js';
import { type SimulatorSuite, useSimulator } from './use-simulator.js';

/**
 * Shared by the Stripe simulator's suites: a simulator on a free port and the official SDK pointed
 * at it exactly as the cloud will configure it, plus a webhook receiver that keeps raw bodies.
 */
export async function startWithStripe(
  options: StripeSimulatorOptions = {},
  sdk: Partial<Stripe.StripeConfig> = {},
): Promise<{ sim: StripeSimulator; stripe: Stripe }> {
  const sim = await startStripeSimulator({ port: 0, ...options });
  const stripe = new Stripe(sim.apiKey, { ...sim.sdkConfig, maxNetworkRetries: 0, ...sdk });
  return { sim, stripe };
}

/** Each test of the calling file gets a fresh simulator and SDK (see useSimulator). */
export function useStripe(
  options: StripeSimulatorOptions & { startAt?: string } = {},
): SimulatorSuite<Awaited<ReturnType<typeof startWithStripe>>> {
  const { startAt, ...simulator } = options;
  return useSimulator((clock) => startWithStripe(clock ? { ...simulator, clock } : simulator), startAt);
}

/** Awaits a call that must fail with one of the SDK's errors and returns it. */
export async function stripeFailure(call: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) return error;
    throw error;
  }
  throw new Error('expected the Stripe call to fail');
}

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  /** The raw body, byte for byte, as constructEvent needs it. */
  body: string;
  at: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Answers each delivery with the status this returns (default 200); may wait first. */
  respond: (hook: ReceivedWebhook) => number | Promise<number>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const receiver: WebhookReceiver = {
    url: '',
    received: [],
    respond: () => 200,
    close: () => Promise.resolve(),
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const hook = { headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      receiver.received.push(hook);
      void Promise.resolve(receiver.respond(hook)).then((status) => {
        if (status >= 300 && status < 400) response.setHeader('location', 'http://127.0.0.1:9/elsewhere');
        response.writeHead(status).end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/stripe/webhook`;
  receiver.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

export const eur = (amount: number) => ({
  amount,
  currency: 'eur',
  allowed_payment_method_types: ['card'] as Stripe.PaymentIntentCreateParams.AllowedPaymentMethodType[],
});

/** A card payment confirmed on creation (spread it and add capture_method: 'manual' to hold it). */
export const cardPayment = (amount: number, card = 'pm_card_visa') => ({
  ...eur(amount),
  payment_method: card,
  confirm: true,
});
