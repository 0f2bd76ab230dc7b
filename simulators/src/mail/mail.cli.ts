import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { intFlag } from '../http/cli-args.js';
import { startMailServer } from './mail.server.js';

/**
 * `tsx simulators/src/mail/mail.cli.ts --smtp-port 1025 --http-port 1080 [--user u --pass p]`
 * starts the test mail server for the demo; prints one JSON line `{"name":"mail","smtp_url":…,"http_url":…}`.
 */
export async function runMailCli(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string' },
      'smtp-port': { type: 'string' },
      'http-port': { type: 'string' },
      user: { type: 'string' },
      pass: { type: 'string' },
      'max-messages': { type: 'string' },
    },
    strict: true,
  });
  if ((values.user === undefined) !== (values.pass === undefined))
    throw new Error('--user and --pass go together');
  const mail = await startMailServer({
    host: values.host ?? '127.0.0.1',
    port: intFlag(values['smtp-port'], 'smtp-port', 0),
    httpPort: intFlag(values['http-port'], 'http-port', 0),
    maxMessages: intFlag(values['max-messages'], 'max-messages', 50_000) || undefined,
    auth:
      values.user !== undefined && values.pass !== undefined
        ? { user: values.user, pass: values.pass }
        : undefined,
  });
  process.stdout.write(
    `${JSON.stringify({ name: 'mail', smtp_url: mail.smtpUrl, http_url: mail.httpUrl })}\n`,
  );
  const stop = () => void mail.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  runMailCli(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`mail server: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
