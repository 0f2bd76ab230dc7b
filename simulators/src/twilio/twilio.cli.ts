import { intFlag, parseCliArgs } from '../http/cli-args.js';
import { announceListening, runWhenEntryPoint } from '../http/cli-run.js';
import { parseTiming } from './twilio.lifecycle.js';
import { startTwilioSimulator } from './twilio.simulator.js';

/**
 * `tsx simulators/src/twilio/twilio.cli.ts --port 4040 --number +15005550006=http://127.0.0.1:3000/sms
 *   [--account-sid AC… --auth-token t] [--timing realistic|instant|manual] [--outcome +1…=landline]`
 * Prints one JSON line `{"name":"twilio","url":…,"account_sid":…,"auth_token":…}` once listening.
 */
export async function runTwilioCli(argv: string[]): Promise<void> {
  const { common, values } = parseCliArgs(argv, {
    'account-sid': { type: 'string' },
    'auth-token': { type: 'string' },
    timing: { type: 'string' },
    number: { type: 'string', multiple: true },
    outcome: { type: 'string', multiple: true },
    'max-concurrent': { type: 'string' },
  });
  // `--number +1…[=smsUrl]`: a number the account owns, and where its inbound messages go.
  const numbers = ((values.number as string[] | undefined) ?? []).map((spec) => {
    const eq = spec.indexOf('=');
    return eq < 0 ? { number: spec } : { number: spec.slice(0, eq), smsUrl: spec.slice(eq + 1) };
  });
  const outcomes: Record<string, string> = {};
  for (const spec of (values.outcome as string[] | undefined) ?? []) {
    const [number, outcome] = spec.split('=');
    if (!number || !outcome) throw new Error(`--outcome must look like +14155550100=landline, got "${spec}"`);
    outcomes[number] = outcome;
  }
  const sim = await startTwilioSimulator({
    ...common,
    accountSid: values['account-sid'] as string | undefined,
    authToken: values['auth-token'] as string | undefined,
    timing: parseTiming(values.timing ?? 'realistic'),
    phoneNumbers: numbers.length > 0 ? numbers : undefined,
    outcomes,
    maxConcurrentRequests: intFlag(values['max-concurrent'], 'max-concurrent', 100),
  });
  announceListening(
    { name: 'twilio', url: sim.url, account_sid: sim.accountSid, auth_token: sim.authToken },
    sim,
  );
}

runWhenEntryPoint(import.meta.url, 'twilio simulator', runTwilioCli);
