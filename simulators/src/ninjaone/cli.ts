import { intFlag, parseCliArgs } from '../http/cli-args.js';
import { announceListening, runWhenEntryPoint } from '../http/cli-run.js';
import { startNinjaSimulator } from './ninjaone.simulator.js';

/**
 * `tsx simulators/src/ninjaone/cli.ts --port 0 [--client-id id --client-secret s --refresh-token rt
 *  --token-ttl 3600 --script-delay 200 --api-prefix /api]`
 * Prints one JSON line with the URL and the credentials to configure the edge with.
 */
export async function runNinjaOneCli(argv: string[]): Promise<void> {
  const { common, values } = parseCliArgs(argv, {
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    'refresh-token': { type: 'string' },
    'token-ttl': { type: 'string' },
    'script-delay': { type: 'string' },
    'api-prefix': { type: 'string' },
  });
  const sim = await startNinjaSimulator({
    ...common,
    clientId: values['client-id'] as string | undefined,
    clientSecret: values['client-secret'] as string | undefined,
    refreshToken: values['refresh-token'] as string | undefined,
    tokenTtlSeconds: intFlag(values['token-ttl'], 'token-ttl', 3600),
    scriptDelayMs: intFlag(values['script-delay'], 'script-delay', 200),
    apiPrefix: (values['api-prefix'] as string | undefined) ?? '',
  });
  announceListening(
    {
      name: 'ninjaone',
      url: sim.url,
      api_url: sim.apiUrl,
      client_id: sim.clientId,
      client_secret: sim.clientSecret,
      refresh_token: sim.refreshToken,
    },
    sim,
  );
}

runWhenEntryPoint(import.meta.url, 'ninjaone simulator', runNinjaOneCli);
