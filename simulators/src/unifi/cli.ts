import { readFileSync } from 'node:fs';
import { intFlag, parseCliArgs } from '../http/cli-args.js';
import { announceListening, runWhenEntryPoint } from '../http/cli-run.js';
import { startUnifiSimulator } from './unifi.simulator.js';

/**
 * `tsx simulators/src/unifi/cli.ts --port 12445 --token <token> [--extra-token t:view:space]
 *   [--tls-key k.pem --tls-cert c.pem]`
 * Prints one JSON line `{"name":"unifi","url":…,"api_url":…}` once listening, so a parent process
 * (demo, tests) can read the port it got.
 */
export async function runUnifiCli(argv: string[]): Promise<void> {
  const { common, values } = parseCliArgs(argv, {
    token: { type: 'string' },
    'pin-length': { type: 'string' },
    'tls-key': { type: 'string' },
    'tls-cert': { type: 'string' },
    'extra-token': { type: 'string', multiple: true },
  });
  const token = String(values.token ?? process.env.UNIFI_SIM_TOKEN ?? 'unifi-dev-token');
  const key = values['tls-key'];
  const cert = values['tls-cert'];
  if ((key === undefined) !== (cert === undefined)) throw new Error('--tls-key and --tls-cert go together');
  // `--extra-token <token>:<scope>,<scope>` adds a narrower token (e.g. to test 403 or expiry).
  const extra = ((values['extra-token'] as string[] | undefined) ?? []).map((spec) => {
    const colon = spec.indexOf(':');
    const value = colon > 0 ? spec.slice(0, colon) : '';
    const scopes = spec.slice(colon + 1);
    if (!value) throw new Error(`--extra-token must look like <token>:<scope>,<scope>, got "${spec}"`);
    return { token: value, name: `token-${value.slice(0, 6)}`, scopes: scopes.split(',').filter(Boolean) };
  });
  const sim = await startUnifiSimulator({
    ...common,
    token,
    tokens: extra,
    pinLength: intFlag(values['pin-length'], 'pin-length', 6),
    https: key && cert ? { key: readFileSync(String(key)), cert: readFileSync(String(cert)) } : undefined,
  });
  announceListening({ name: 'unifi', url: sim.url, api_url: sim.apiUrl }, sim);
}

runWhenEntryPoint(import.meta.url, 'unifi simulator', runUnifiCli);
