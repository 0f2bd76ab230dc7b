// clubos-sim <unifi|ninjaone|hubspot|stripe|twilio|mail> [flags] starts one simulator from the command line.
// Each prints one JSON line with its URL (and credentials) once it listens.

type Cli = (argv: string[]) => Promise<void>;

// Only the named simulator is loaded: the SDK-facing ones pull in heavy dependencies.
const CLIS: Record<string, () => Promise<Cli>> = {
  unifi: async () => (await import('./unifi/cli.js')).runUnifiCli,
  ninjaone: async () => (await import('./ninjaone/cli.js')).runNinjaOneCli,
  hubspot: async () => (await import('./hubspot/hubspot.cli.js')).runHubspotCli,
  twilio: async () => (await import('./twilio/twilio.cli.js')).runTwilioCli,
  mail: async () => (await import('./mail/mail.cli.js')).runMailCli,
  stripe: async () => (await import('./stripe/stripe.cli.js')).runStripeCli,
};

const USAGE = `usage: clubos-sim <${Object.keys(CLIS).join('|')}> [--port N] [--host H] [simulator flags]`;

async function main(): Promise<void> {
  const [name, ...rest] = process.argv.slice(2);
  const load = name === undefined ? undefined : CLIS[name];
  if (load === undefined) {
    process.stderr.write(`${name ? `unknown simulator "${name}"\n` : ''}${USAGE}\n`);
    process.exit(2);
  }
  await (await load())(rest);
}

main().catch((error: unknown) => {
  process.stderr.write(`clubos-sim: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
