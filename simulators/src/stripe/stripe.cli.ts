import { parseCliArgs } from '../http/cli-args.js';
import { announceListening, runWhenEntryPoint } from '../http/cli-run.js';
import { startStripeSimulator } from './stripe.simulator.js';

/**
 * `tsx simulators/src/stripe/stripe.cli.ts --port 12111 [--api-key sk_test_…] [--public-url U]
 *   [--webhook-url http://…/stripe/webhook --webhook-secret whsec_…]`
 * Prints one JSON line `{"name":"stripe","url":…,"api_key":…,"sdk":{host,port,protocol}}` once
 * listening (plus the webhook endpoint and its secret when one was asked for).
 */
export async function runStripeCli(argv: string[]): Promise<void> {
  const { common, values } = parseCliArgs(argv, {
    'api-key': { type: 'string' },
    'public-url': { type: 'string' },
    'webhook-url': { type: 'string' },
    'webhook-secret': { type: 'string' },
    'webhook-events': { type: 'string' },
  });
  const sim = await startStripeSimulator({
    ...common,
    apiKey: values['api-key'] === undefined ? undefined : String(values['api-key']),
    publicUrl: values['public-url'] === undefined ? undefined : String(values['public-url']),
  });
  let webhook: { id: string; url: string; secret: string } | undefined;
  if (values['webhook-url'] !== undefined) {
    const events =
      values['webhook-events'] === undefined ? undefined : String(values['webhook-events']).split(',');
    const { endpoint, secret } = sim.control.addWebhookEndpoint({
      url: String(values['webhook-url']),
      events,
      secret: values['webhook-secret'] === undefined ? undefined : String(values['webhook-secret']),
    });
    webhook = { id: endpoint.id, url: endpoint.url, secret };
  } else if (values['webhook-secret'] !== undefined || values['webhook-events'] !== undefined) {
    throw new Error('--webhook-secret and --webhook-events need --webhook-url');
  }
  announceListening(
    {
      name: 'stripe',
      url: sim.url,
      api_key: sim.apiKey,
      sdk: sim.sdkConfig,
      ...(webhook ? { webhook } : {}),
    },
    sim,
  );
}

runWhenEntryPoint(import.meta.url, 'stripe simulator', runStripeCli);
