/**
 * `npm start`: the system as it runs on one machine today — the cloud (PGlite in `.data/`, no
 * set-up), and the UniFi Access, NinjaOne and HubSpot simulators standing in for the real systems.
 * Flags: `--reset` wipes `.data/` first; `--port N` for the cloud (default 8080, or a free one).
 * Ctrl-C stops everything cleanly and keeps the data for the next start.
 */
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp, loadConfig } from '../cloud/src/index.js';
import { ensureWebBuild } from '../cloud/src/site/web-build.js';
import { startHubspotSimulator, startNinjaSimulator, startUnifiSimulator } from '../simulators/src/index.js';

const root = join(import.meta.dirname, '..');
const { values } = parseArgs({
  options: { reset: { type: 'boolean', default: false }, port: { type: 'string' } },
  strict: true,
});

function step(message: string): void {
  process.stdout.write(`  … ${message}\n`);
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
      .once('error', () => resolve(false))
      .once('listening', () => probe.close(() => resolve(true)))
      .listen(port, '127.0.0.1');
  });
}

async function main(): Promise<void> {
  const dataDir = join(root, '.data');
  if (values.reset) {
    rmSync(dataDir, { recursive: true, force: true });
    step('data folder reset');
  }
  const closers: Array<() => Promise<void>> = [];
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n  ${signal}: stopping…\n`);
    for (const close of closers.reverse()) await close().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('Ctrl-C'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  step('building the customer site and the admin dashboard (skipped when up to date)');
  await ensureWebBuild();

  step('starting the UniFi Access, NinjaOne and HubSpot simulators');
  const hubspotToken = 'pat-demo-local';
  const [unifi, ninja, hubspot] = await Promise.all([
    startUnifiSimulator({ port: 0, host: '127.0.0.1', token: 'unifi-demo-token' }),
    startNinjaSimulator({ port: 0, host: '127.0.0.1' }),
    startHubspotSimulator({ port: 0, accessToken: hubspotToken }),
  ]);
  closers.push(
    () => unifi.close(),
    () => ninja.close(),
    () => hubspot.close(),
  );

  step('starting the cloud (PGlite; the first start creates the database: up to a minute)');
  const wanted = Number(values.port ?? process.env.PORT ?? 8080);
  const port = (await portIsFree(wanted)) ? wanted : 0;
  const config = loadConfig({
    cwd: root,
    env: {
      CLOUD_DATA_DIR: join(dataDir, 'cloud'),
      ADMIN_EMAIL: 'admin@clubos.local',
      ADMIN_PASSWORD: 'clubos-admin-demo',
      HUBSPOT_BASE_URL: hubspot.url,
      HUBSPOT_ACCESS_TOKEN: hubspotToken,
      LOG_LEVEL: 'warn',
      ...process.env,
      PORT: String(port),
    },
  });
  const cloud = await buildApp({ config });
  closers.push(() => cloud.close());
  const cloudUrl = await cloud.listen({ port, host: config.host });

  process.stdout.write(
    [
      '',
      '  ClubOS Booking is running',
      `    cloud API ............ ${cloudUrl}/api/v1   (docs: ${cloudUrl}/docs)`,
      `    customer site ........ ${cloudUrl}/`,
      `    admin dashboard ...... ${cloudUrl}/admin/   (admin@clubos.local / clubos-admin-demo)`,
      `    UniFi Access sim ..... ${unifi.apiUrl}   (token unifi-demo-token)`,
      `    NinjaOne sim ......... ${ninja.url}`,
      `    HubSpot sim .......... ${hubspot.url}   (token ${hubspotToken})`,
      '',
      '  Ctrl-C stops everything; data stays in .data/ (npm start -- --reset wipes it).',
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`start failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
