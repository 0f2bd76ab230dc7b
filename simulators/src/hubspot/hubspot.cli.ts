import { parseArgs } from 'node:util';
import pino from 'pino';
import { runWhenEntryPoint } from '../http/cli-run.js';
import { startHubspotSimulator } from './hubspot.simulator.js';

/**
 * `tsx simulators/src/hubspot/hubspot.cli.ts --port 4030 --token pat-local` starts the simulator
 * for the demo or for manual trials with the SDK.
 */
function intFlag(values: Record<string, unknown>, name: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`--${name} must be a non-negative integer, got "${String(raw)}"`);
  return n;
}

export async function runHubspotCli(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      token: { type: 'string' },
      'search-lag-ms': { type: 'string' },
      'ten-secondly-max': { type: 'string' },
      'daily-max': { type: 'string' },
    },
    strict: true,
  });
  const logger = pino({ name: 'hubspot-simulator' });
  const port = intFlag(values, 'port') ?? 0;
  if (port > 65_535) throw new Error(`--port must be 0-65535, got ${port}`);
  const tenSecondlyMax = intFlag(values, 'ten-secondly-max');
  const dailyMax = intFlag(values, 'daily-max');
  const sim = await startHubspotSimulator({
    accessToken: values.token ?? 'pat-local-simulator',
    port,
    host: values.host ?? '127.0.0.1',
    searchLagMs: intFlag(values, 'search-lag-ms'),
    rateLimits: {
      ...(tenSecondlyMax ? { tenSecondlyMax } : {}),
      ...(dailyMax ? { dailyMax } : {}),
    },
  });
  logger.info({ url: sim.url, token: values.token ?? 'pat-local-simulator' }, 'HubSpot simulator listening');
  const stop = () => {
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

runWhenEntryPoint(import.meta.url, 'hubspot simulator', runHubspotCli);
