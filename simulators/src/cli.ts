// clubos-sim <unifi|ninjaone|hubspot|stripe> [flags] starts one simulator from the command line.
// Each prints one JSON line with its URL (and credentials) once it listens.
import { runHubspotCli } from './hubspot/hubspot.cli.js';
import { runStripeCli } from './stripe/stripe.cli.js';

const USAGE = 'usage: clubos-sim <unifi|ninjaone|hubspot|stripe> [--port N] [--host H] [simulator flags]';

async function main(): Promise<void> {
  const [name, ...rest] = process.argv.slice(2);
  // The UniFi and NinjaOne entry points read process.argv themselves when imported.
  process.argv = [process.argv[0] ?? 'node', process.argv[1] ?? 'clubos-sim', ...rest];
  switch (name) {
    case 'unifi':
      await import('./unifi/cli.js');
      return;
    case 'ninjaone':
      await import('./ninjaone/cli.js');
      return;
    case 'hubspot':
      await runHubspotCli(rest);
      return;
    case 'stripe':
      await runStripeCli(rest);
      return;
    default:
      process.stderr.write(`${name ? `unknown simulator "${name}"\n` : ''}${USAGE}\n`);
      process.exit(2);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`clubos-sim: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
