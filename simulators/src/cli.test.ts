import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import nodemailer from 'nodemailer';
import twilio from 'twilio';
import { afterEach, describe, expect, it } from 'vitest';
import { runMailCli } from './mail/mail.cli.js';
import { runNinjaOneCli } from './ninjaone/cli.js';
import { runTwilioCli } from './twilio/twilio.cli.js';
import { simulatorRequestClient } from './twilio/twilio.request-client.js';
import { runUnifiCli } from './unifi/cli.js';

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill('SIGTERM');
  child = undefined;
});

/** Starts `clubos-sim <args>` and resolves with the JSON line it prints once listening. */
function startCli(args: string[]): Promise<Record<string, string>> {
  child = spawn(process.execPath, ['--import', 'tsx', 'simulators/src/cli.ts', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    createInterface({ input: child!.stdout! }).once('line', (line) => resolve(JSON.parse(line)));
    child!.once('exit', (code) => reject(new Error(`clubos-sim exited ${code}: ${stderr}`)));
  });
}

describe('clubos-sim twilio | mail | unifi | ninjaone', () => {
  it('starts the Twilio simulator with numbers and outcomes from flags, reachable by the SDK', async () => {
    const info = await startCli([
      'twilio',
      '--port',
      '0',
      '--timing',
      'instant',
      '--outcome',
      '+14155550101=landline',
    ]);
    expect(info).toMatchObject({ name: 'twilio', account_sid: expect.stringMatching(/^AC/) });
    const client = twilio(info.account_sid, info.auth_token, {
      httpClient: simulatorRequestClient(twilio.RequestClient, info.url as string),
    });
    const sent = await client.messages.create({ to: '+14155550101', from: '+15005550006', body: 'hi' });
    await expect.poll(async () => (await client.messages(sent.sid).fetch()).status).toBe('undelivered');
  });

  it('starts the mail server; nodemailer sends to its SMTP URL and the HTTP API shows the message', async () => {
    const info = await startCli(['mail', '--smtp-port', '0', '--http-port', '0']);
    const transport = nodemailer.createTransport(info.smtp_url as string);
    await transport.sendMail({ from: 'a@clubos.test', to: 'b@example.com', subject: 'cli', text: 'x' });
    transport.close();
    const waited = await fetch(`${info.http_url}/wait?to=b@example.com`);
    expect(((await waited.json()) as { subject: string }).subject).toBe('cli');
  });

  it('starts UniFi Access and NinjaOne, each printing the URL line its parent reads', async () => {
    const unifi = await startCli(['unifi', '--port', '0', '--token', 'cli-token']);
    expect(unifi).toMatchObject({ name: 'unifi', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+/) });
    const doors = await fetch(`${unifi.api_url}/doors`, { headers: { authorization: 'Bearer cli-token' } });
    expect(doors.status).toBe(200);
    child?.kill('SIGTERM');
    const ninja = await startCli(['ninjaone', '--port', '0', '--client-id', 'edge-1']);
    expect(ninja).toMatchObject({
      name: 'ninjaone',
      client_id: 'edge-1',
      url: expect.stringMatching(/^http/),
    });
  });

  it('names an unknown simulator and a bad flag', async () => {
    await expect(startCli(['sms'])).rejects.toThrow(/unknown simulator "sms"/);
    // Flags are checked before anything listens, so this needs no child process.
    await expect(runTwilioCli(['--timing', 'slow'])).rejects.toThrow(/timing: instant, realistic/);
    await expect(runTwilioCli(['--outcome', '+14155550101'])).rejects.toThrow(/--outcome must look like/);
    await expect(runMailCli(['--user', 'u'])).rejects.toThrow('--user and --pass go together');
    await expect(runUnifiCli(['--tls-key', 'k.pem'])).rejects.toThrow('--tls-key and --tls-cert go together');
    await expect(runNinjaOneCli(['--token-ttl', 'soon'])).rejects.toThrow(
      /--token-ttl must be a non-negative/,
    );
  });
});
