import { parseArgs } from 'node:util';
import { intFlag } from '../http/cli-args.js';
import { announceListening, runWhenEntryPoint } from '../http/cli-run.js';
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
  announceListening({ name: 'mail', smtp_url: mail.smtpUrl, http_url: mail.httpUrl }, mail);
}

runWhenEntryPoint(import.meta.url, 'mail server', runMailCli);
