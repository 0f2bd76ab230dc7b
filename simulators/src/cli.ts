// clubos-sim <unifi|ninjaone|hubspot|stripe|twilio|mail> [flags] starts one simulator from the command line.
// Each prints one JSON line with its URL (and credentials) once it listens.

const USAGE =
  'usage: clubos-sim <unifi|ninjaone|hubspot|stripe|twilio|mail> [--port N] [--host H] [simulator flags]';

async function main(): Promise<void> {
  const [name, ...rest] = process.argv.slice(2);
  // Only the named simulator is loaded. The UniFi and NinjaOne entry points read process.argv
  // themselves when imported.
  process.argv = [process.argv[0] ?? 'node', process.argv[1] ?? 'clubos-sim', ...rest];
  switch (name) {
    case 'unifi':
      await import('./unifi/cli.js');
      return;
    case 'ninjaone':
      await import('./ninjaone/cli.js');
      return;
    case 'hubspot':
      await (await import('./hubspot/hubspot.cli.js')).runHubspotCli(rest);
      return;
    case 'twilio':
      await (await import('./twilio/twilio.cli.js')).runTwilioCli(rest);
      return;
    case 'mail':
      await (await import('./mail/mail.cli.js')).runMailCli(rest);
      return;
    case 'stripe':
      await (await import('./stripe/stripe.cli.js')).runStripeCli(rest);
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
