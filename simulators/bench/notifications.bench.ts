// How much the Twilio simulator and the test mail server take: N reminders, each an SMS through the
// official twilio SDK (with a status callback to a local receiver standing in for the cloud) and an
// e-mail through a nodemailer pool, both at once, as the reminder job will send them. The issue asks
// for 10,000 in one minute. The simulators run in child processes (as in the demo), so their own CPU
// is measured apart from the clients'.
//   tsx simulators/bench/notifications.bench.ts [--count 10000] [--rate 167 | --rate 0 --concurrency 50]
//     [--sms-sockets 20] [--mail-connections 10]
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import nodemailer from 'nodemailer';
import twilio from 'twilio';
import { simulatorRequestClient } from '../src/twilio/twilio.request-client.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '10000' },
    // Open loop at a fixed rate per channel (10,000 a minute by default), or with --rate 0 a closed
    // loop with N in flight per channel (throughput).
    rate: { type: 'string', default: '167' },
    concurrency: { type: 'string', default: '50' },
    // The SDK's own default is 20 sockets per host; a burst at a fixed rate may need more.
    'sms-sockets': { type: 'string', default: '20' },
    'mail-connections': { type: 'string', default: '10' },
  },
});
const count = Number(values.count);
const rate = Number(values.rate) > 0 ? Number(values.rate) : null;
const concurrency = Number(values.concurrency);
const WARM_UP = 100;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** `taken`: what the server processed (a create the client timed out on still happened). */
function summary(times: number[], wallMs: number, cpuMs: number, taken: number) {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    count: times.length,
    wall_s: +(wallMs / 1000).toFixed(2),
    per_s: Math.round(times.length / (wallMs / 1000)),
    p50_ms: +percentile(sorted, 50).toFixed(2),
    p95_ms: +percentile(sorted, 95).toFixed(2),
    p99_ms: +percentile(sorted, 99).toFixed(2),
    simulator_cpu_s: +(cpuMs / 1000).toFixed(2),
    simulator_cpu_ms_each: +(cpuMs / taken).toFixed(3),
  };
}

const failures: Record<string, number> = {};

/** Runs task(i) for every i < total, returning each successful call's duration in ms. */
async function run(total: number, task: (i: number) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  const timed = async (i: number) => {
    const started = performance.now();
    try {
      await task(i);
      times.push(performance.now() - started);
    } catch (error) {
      const key = `${(error as { code?: string }).code ?? ''} ${(error as Error).message}`.slice(0, 80);
      failures[key] = (failures[key] ?? 0) + 1;
    }
  };
  if (rate !== null) {
    const started = performance.now();
    const calls: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      calls.push(timed(i));
    }
    await Promise.all(calls);
    return times;
  }
  let next = 0;
  const worker = async () => {
    while (next < total) await timed(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return times;
}

const children: ChildProcess[] = [];
async function startSimulator(args: string[]): Promise<{ info: Record<string, string>; pid: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'simulators/src/cli.ts', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const line = await new Promise<string>((resolve) =>
    createInterface({ input: child.stdout! }).once('line', resolve),
  );
  return { info: JSON.parse(line), pid: child.pid as number };
}

/** CPU time (user + system) a process has used, in ms, from /proc (100 ticks a second). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

let callbacks = 0;
const receiver = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    callbacks += 1;
    res.writeHead(204).end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const statusCallback = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/twilio/status`;

const sms = await startSimulator([
  'twilio',
  '--port',
  '0',
  '--timing',
  'instant',
  '--max-concurrent',
  '1000',
]);
const mail = await startSimulator(['mail', '--smtp-port', '0', '--http-port', '0']);
const client = twilio(sms.info.account_sid, sms.info.auth_token, {
  httpClient: simulatorRequestClient(twilio.RequestClient, sms.info.url as string, {
    maxSockets: Number(values['sms-sockets']),
  }),
});
const mailConnections = Number(values['mail-connections']);
const transport = nodemailer.createTransport(
  `${mail.info.smtp_url}?pool=true&maxConnections=${mailConnections}`,
);
transport.set('maxMessages', Number.POSITIVE_INFINITY);

const sendSms = (i: number) =>
  client.messages.create({
    to: `+1415555${String(1000 + (i % 9000)).padStart(4, '0')}`,
    from: '+15005550006',
    body: `Reminder: bay ${(i % 12) + 1} tomorrow at 18:00. Reply STOP to opt out.`,
    statusCallback,
  });
const sendMail = (i: number) =>
  transport.sendMail({
    from: 'bookings@clubos.test',
    to: `customer${i}@example.com`,
    subject: `Reminder: your booking #${i}`,
    text: 'See you tomorrow at 18:00.',
    html: '<p>See you tomorrow at <b>18:00</b>.</p>',
    headers: {
      'List-Unsubscribe': '<https://clubos.test/u/x>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  });

// Warm-up: the SDK and the simulators load code lazily on first use.
await Promise.all([run(WARM_UP, sendSms), run(WARM_UP, sendMail)]);
// The warm-up's own callbacks finish first, so they are not counted in the run.
while (callbacks < 3 * WARM_UP) await new Promise((resolve) => setTimeout(resolve, 20));
const callbacksBefore = callbacks;
const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const cpuBefore = { sms: cpuMs(sms.pid), mail: cpuMs(mail.pid) };
const clientCpuBefore = process.cpuUsage();
const started = performance.now();
const wall = async (task: (i: number) => Promise<unknown>) => {
  const times = await run(count, task);
  return { times, wallMs: performance.now() - started };
};
const [smsRun, mailRun] = await Promise.all([wall(sendSms), wall(sendMail)]);
// Every status callback (3 per SMS) reached the receiver.
const expected = callbacksBefore + 3 * count;
while (callbacks < expected && performance.now() - started < 300_000)
  await new Promise((r) => setTimeout(r, 20));
const callbacksDone = performance.now() - started;
const cpu = { sms: cpuMs(sms.pid) - cpuBefore.sms, mail: cpuMs(mail.pid) - cpuBefore.mail };
const clientCpu = process.cpuUsage(clientCpuBefore);
const mailCount = (await (await fetch(`${mail.info.http_url}/messages?to=customer0@example.com`)).json()) as {
  received: number;
};
// What the simulator took, including creates whose client gave up waiting (they still happened).
const smsTaken = (
  (await (await fetch(`${sms.info.url}/__control/messages?direction=outbound-api`)).json()) as {
    messages: unknown[];
  }
).messages.length;

const cpus = os.cpus();
const results = {
  at: new Date().toISOString(),
  machine: `${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.platform()} ${os.release()}; Node ${process.version}`,
  load_average_at_start: load,
  count,
  mode:
    rate === null ? `closed loop, ${concurrency} in flight per channel` : `open loop, ${rate}/s per channel`,
  sms_create: summary(smsRun.times, smsRun.wallMs, cpu.sms, smsTaken - WARM_UP),
  mail_send: summary(mailRun.times, mailRun.wallMs, cpu.mail, mailCount.received - WARM_UP),
  status_callbacks: `${callbacks - callbacksBefore} of ${3 * count} within ${(callbacksDone / 1000).toFixed(2)} s`,
  failures,
  mails_received: mailCount.received - WARM_UP,
  mail_pool_connections: mailConnections,
  sms_sockets: Number(values['sms-sockets']),
  // This process: the SDK, nodemailer and the callback receiver (the cloud's side).
  client_cpu_s: +((clientCpu.user + clientCpu.system) / 1e6).toFixed(2),
};
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);

const row = (name: string, r: ReturnType<typeof summary>) =>
  `| ${name} | ${r.count} | ${r.wall_s} | ${r.per_s} | ${r.p50_ms} | ${r.p95_ms} | ${r.p99_ms} | ${r.simulator_cpu_ms_each} | ${Math.round(1000 / r.simulator_cpu_ms_each)} |`;
writeFileSync(
  'bench/notifications.md',
  `# Notifications load: Twilio simulator and test mail server

Generated by \`npx tsx simulators/bench/notifications.bench.ts\` on ${results.at}.

- Machine: ${results.machine}
- 1/5/15-minute load averages when the run started: ${load} (on ${cpus.length} cores; other work was running on the machine)
- ${count} reminders, each an SMS through the official twilio SDK (\`messages.create\` with a status callback, ${results.sms_sockets} sockets) and an e-mail through a nodemailer pool (${mailConnections} connections), ${results.mode}, after ${WARM_UP} warm-up reminders. The Twilio simulator (instant timing) and the mail server each run in their own child process (\`clubos-sim\`); the SDK, nodemailer and the status-callback receiver share this process.
- Latency: from the call to its answer (the SDK's 201, nodemailer's 250 after DATA). CPU: the simulator process's user + system time over the run divided by what it took (a create the client gave up on still counts); it includes the 3 signed status callbacks per SMS and parsing each e-mail. CPU per message does not depend on the machine's load the way wall time does.

| channel | sent | wall s | per s | p50 ms | p95 ms | p99 ms | simulator CPU ms each | one core of it: per s |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
${row('SMS: SDK → Twilio simulator', results.sms_create)}
${row('e-mail: nodemailer → test SMTP server', results.mail_send)}

- Status callbacks received: ${results.status_callbacks}; client-side failures: ${JSON.stringify(failures)}.
- This process (SDK, nodemailer, receiver): ${results.client_cpu_s} s of CPU.
- When the load average is far above the core count, wall time and latency measure the CPU share the run got, not the servers; the last column is what one core of each server's own time sustains (10,000 a minute is 167/s).
`,
);
transport.close();
for (const child of children) child.kill('SIGTERM');
receiver.closeAllConnections();
receiver.close();
