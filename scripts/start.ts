/**
 * `npm start`: the whole venue on one machine — cloud (PGlite), the UniFi Access, NinjaOne and
 * HubSpot simulators, a seeded demo venue, its edge node with 8 bay PCs and 2 door scanners, the
 * staff console and the kiosk (scripts/demo/start-demo.ts does the work; this is the CLI).
 * Flags: `--reset` wipes `.data/` first; `--offline` starts with the edge cut from the cloud;
 * `--port N` / `--edge-port N` (defaults 8080 / 4100, or free ones). While running, `o` + Enter
 * cuts or restores the edge's internet. Ctrl-C stops everything and keeps the data.
 */
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { blockedPortReason } from '../shared/src/config/index.js';
import { demoLogStream } from './demo/demo-log.js';
import { type Demo, startDemo } from './demo/start-demo.js';

const root = join(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    reset: { type: 'boolean', default: false },
    offline: { type: 'boolean', default: false },
    port: { type: 'string' },
    'edge-port': { type: 'string' },
  },
  strict: true,
});

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function portFlag(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    process.stderr.write(`--${name} must be a port number (0–65535), got "${raw}"\n`);
    process.exit(2);
  }
  const blocked = blockedPortReason(port);
  if (blocked !== null) {
    process.stderr.write(`--${name} ${port} cannot be used: ${blocked}\n`);
    process.exit(2);
  }
  return port;
}

function banner(demo: Demo): string {
  const { urls, logins } = demo;
  return [
    '',
    '  ClubOS Booking demo venue is running (America/Toronto, 8 bays: 5 Trackman, 3 Uneekor premium)',
    `    customer site ........ ${urls.site}   (customer ${logins.customer.email} / ${logins.customer.password})`,
    `    admin dashboard ...... ${urls.admin}   (admin ${logins.admin.email} / ${logins.admin.password};`,
    `                                              staff ${logins.staff.email} / ${logins.staff.password})`,
    `    cloud API ............ ${urls.api}   (docs: ${urls.docs})`,
    `    staff console ........ ${urls.console}   (${logins.consoleManager.username} / ${logins.consoleManager.password}; ${logins.consoleStaff.username} / ${logins.consoleStaff.password})`,
    `    kiosk ................ ${urls.kiosk}`,
    `    edge LAN API ......... ${urls.edge}/api/v1   MQTT broker ${urls.mqtt}`,
    `    UniFi Access sim ..... ${urls.unifi}   NinjaOne sim ${urls.ninja}   HubSpot sim ${urls.hubspot}`,
    `    Stripe sim ........... ${urls.stripe}   (hosted payment pages; the venue takes a 25 % deposit online)`,
    `    mail inbox ........... ${urls.inbox}   (every email the cloud sends)`,
    '',
    '  To see a payment: on the customer site sign in, pick a bay and a time, "Book for …" → you land on the',
    "  Stripe simulator's page: card 4242 4242 4242 4242 (any future date, any CVC) → Pay → back on the",
    '  site, confirmed with QR and PIN. 4000 0000 0000 0002 is declined; 4000 0027 6000 3184 asks 3-D Secure.',
    '  Admin → Payments shows the deposit; cancelling from My bookings refunds it by the policy.',
    '',
    `  The edge's internet is ${demo.offline ? 'DOWN (offline)' : 'up'}: type o + Enter to ${demo.offline ? 'restore' : 'cut'} it.`,
    '  Ctrl-C stops everything; data stays in .data/ (npm start -- --reset wipes it).',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const demo = await startDemo({
    dataDir: join(root, '.data'),
    reset: values.reset,
    offline: values.offline,
    ports: {
      cloud: portFlag('port', values.port ?? process.env.PORT, 8080),
      edge: portFlag('edge-port', values['edge-port'], 4100),
    },
    logLevel: process.env.LOG_LEVEL ?? 'error',
    // Log lines for a person reading the terminal; the servers alone (server.ts) keep pino's JSON.
    logStream: demoLogStream(),
    cloudEnv: process.env,
    progress: (step) => say(`  … ${step}`),
  });

  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    say(`\n  ${why}: stopping the devices, edge, cloud and simulators…`);
    await demo.stop();
    say('  stopped; the data is kept for the next start.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('Ctrl-C'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  say(banner(demo));
  // `o` + Enter toggles the edge's internet. Closing stdin (Ctrl-D, /dev/null) only ends the
  // toggle: the demo runs until Ctrl-C or SIGTERM.
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line.trim().toLowerCase() !== 'o') return;
    demo.setOffline(!demo.offline);
    say(
      demo.offline
        ? "  ✗ the edge's internet is DOWN: doors, bays and walk-ins keep working at the venue"
        : "  ✓ the edge's internet is back: it catches up with the cloud",
    );
  });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `start failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
