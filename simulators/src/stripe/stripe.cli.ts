import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseCliArgs } from '../http/cli-args.js';
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
  process.stdout.write(
    `${JSON.stringify({ name: 'stripe', url: sim.url, api_key: sim.apiKey, sdk: sim.sdkConfig, ...(webhook ? { webhook } : {}) })}\n`,
  );
  const stop = () => void sim.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  runStripeCli(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`stripe simulator: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
