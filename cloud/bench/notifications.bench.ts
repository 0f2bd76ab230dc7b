import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { DEFAULT_FROM } from '@clubos/simulators/twilio/index';
import { sql } from 'drizzle-orm';
import { buildApp } from '../src/app.js';
import { testConfig } from '../src/config.js';
import { jobIdOf, REMINDER_QUEUE } from '../src/notifications/notification.queue.js';
import { freePort } from '../src/testing/sms-world.js';
import { createTestDatabase } from '../src/testing/test-app.js';
import { startCpuMeter } from './cpu-meter.js';
import { processCpuMs, startProcessesMeter, startSimulatorProcess } from './sim-processes.js';

/**
 * Issue #15's load: N reminders falling due within one minute, sent by the cloud's pg-boss workers
 * through nodemailer (a pool of 10 connections) to the test SMTP server and, as SMS, through the
 * twilio SDK to the Twilio simulator (whose signed status callbacks come back to the listening cloud).
 * Both servers run in child processes (`clubos-sim`), so the cloud's CPU is measured apart from theirs.
 * N confirmed bookings are
 * written straight in SQL (200 bays × N/200 hours), each with its confirmation recorded (version 1),
 * and one reminder job each, due spread evenly over the next 60 s, as the dispatcher would have
 * scheduled them. Measured: from the first due time until every reminder row is `sent`.
 * `BENCH_REMINDERS` (default 10000), `BENCH_DB` (pglite | postgres; both when TEST_DATABASE_URL is set), `BENCH_OUT`.
 */
const N = Number(process.env.BENCH_REMINDERS ?? 10_000);
const OUT = process.env.BENCH_OUT ?? join(import.meta.dirname, '../../bench/notifications-cloud.md');
const BAYS = 200;

async function run(kind: 'pglite' | 'postgres') {
  const mail = await startSimulatorProcess(['mail', '--http-port', '0', '--max-messages', String(N * 2)]);
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const twilio = await startSimulatorProcess([
    'twilio',
    '--port',
    '0',
    '--timing',
    'instant',
    '--max-concurrent',
    '1000',
    '--number',
    `${DEFAULT_FROM}=${publicUrl}/api/v1/webhooks/twilio/sms`,
  ]);
  const mailHttp = mail.info.http_url as string;
  const twilioUrl = twilio.info.url as string;
  const { databaseUrl, drop } = await createTestDatabase(kind, 'clubos_bench_notify');
  const base = testConfig().notifications;
  const app = await buildApp({
    config: testConfig({
      databaseUrl,
      logLevel: 'silent',
      notifications: {
        ...base,
        smtpUrl: `${mail.info.smtp_url}?pool=true&maxConnections=10`,
        pollIntervalMs: 500,
        publicUrl,
        sms: {
          accountSid: twilio.info.account_sid as string,
          authToken: twilio.info.auth_token as string,
          from: DEFAULT_FROM,
          messagingServiceSid: undefined,
          apiBaseUrl: twilioUrl,
          timeoutMs: 10_000,
        },
      },
    }),
  });
  await app.listen({ port, host: '127.0.0.1' });
  try {
    const facility = await app.services.facilityRepository.insertFacility({
      name: 'Bench venue',
      timezone: 'America/Toronto',
    });
    for (let i = 1; i <= BAYS; i++) {
      await app.services.facilityRepository.insertBay({
        facilityId: facility.id,
        name: `Bay ${i}`,
        bayNumber: i,
        type: 'trackman',
        hourlyRateCents: 4000,
      });
    }
    const start = Date.now() + 3 * 24 * 3_600_000;
    await app.db.execute(sql`
      INSERT INTO customers (email, first_name, phone)
      SELECT 'golfer' || g || '@bench.test', 'Golfer', '+1416' || (2000000 + g) FROM generate_series(1, ${N}) g`);
    await app.db.execute(sql`
      WITH bays AS (SELECT id, row_number() OVER (ORDER BY bay_number) - 1 AS k FROM simulators WHERE facility_id = ${facility.id}),
      rows AS (SELECT g, c.id AS customer_id FROM generate_series(1, ${N}) g JOIN customers c ON c.email = 'golfer' || g || '@bench.test')
      INSERT INTO bookings (facility_id, simulator_id, customer_id, start_time, end_time, blocked_until, duration, status, reference_code, access_code, price_cents)
      SELECT ${facility.id}, b.id, r.customer_id,
        to_timestamp(${start / 1000}) + ((r.g - 1) / ${BAYS}) * interval '1 hour',
        to_timestamp(${start / 1000}) + ((r.g - 1) / ${BAYS}) * interval '1 hour' + interval '1 hour',
        to_timestamp(${start / 1000}) + ((r.g - 1) / ${BAYS}) * interval '1 hour' + interval '1 hour',
        60, 'confirmed', 'B' || lpad(r.g::text, 8, '0'), lpad((r.g % 1000000)::text, 6, '0'), 4000
      FROM rows r JOIN bays b ON b.k = (r.g - 1) % ${BAYS}`);
    await app.db.execute(sql`
      INSERT INTO notification_messages (booking_id, facility_id, kind, version, status, sent_at)
      SELECT id, facility_id, 'confirmation', 1, 'sent', now() FROM bookings WHERE facility_id = ${facility.id}`);
    const ids = (
      (await app.db.execute(
        sql`SELECT id FROM bookings WHERE facility_id = ${facility.id} ORDER BY reference_code`,
      )) as unknown as {
        rows: { id: string }[];
      }
    ).rows.map((r) => r.id);

    const boss = (app.services.notificationQueue as unknown as { boss: import('pg-boss').PgBoss }).boss;
    const firstDue = Date.now() + 5_000;
    for (let i = 0; i < ids.length; i += 1000) {
      await boss.insert(
        REMINDER_QUEUE,
        ids.slice(i, i + 1000).map((bookingId, j) => ({
          id: jobIdOf(`reminder:${bookingId}:1:1440`),
          data: { bookingId, facilityId: facility.id, version: 1, offsetMinutes: 1440 },
          startAfter: new Date(firstDue + Math.floor(((i + j) / ids.length) * 60_000)),
        })),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, firstDue - Date.now())));
    const dbBefore = await databaseCpuMs(app);
    const servers = startProcessesMeter([mail.pid, twilio.pid]);
    const cpu = startCpuMeter();
    const began = performance.now();
    let sent = 0;
    while (sent < 2 * N && performance.now() - began < 900_000) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      sent = Number(
        (
          (await app.db.execute(
            sql`SELECT count(*)::int AS n FROM notification_messages WHERE kind = 'reminder' AND status = 'sent'`,
          )) as unknown as { rows: { n: number }[] }
        ).rows[0]!.n,
      );
    }
    const seconds = (performance.now() - began) / 1000;
    // The callbacks of the last texts may still be on their way: they are the cloud's work too.
    await fetch(`${twilioUrl}/__control/settle`, { method: 'POST' });
    const reading = cpu();
    const cpuMs = reading.loadGeneratorMs;
    const serverCpuMs = servers() ?? Number.NaN;
    const dbAfter = await databaseCpuMs(app);
    const databaseMs = dbBefore && dbAfter ? databaseCpuBetween(dbBefore, dbAfter) : Number.NaN;
    const texts = (
      (await (await fetch(`${twilioUrl}/__control/messages?direction=outbound-api`)).json()) as {
        messages: unknown[];
      }
    ).messages.length;
    const callbacks = (
      (await (await fetch(`${twilioUrl}/__control/webhooks?kind=status_callback`)).json()) as {
        deliveries: { status: number | null }[];
      }
    ).deliveries.filter((d) => d.status === 200).length;
    const received = (
      (await (await fetch(`${mailHttp}/messages?to=nobody@bench.test`)).json()) as { received: number }
    ).received;
    return {
      kind,
      sent,
      received,
      texts,
      callbacks,
      seconds,
      cpuMs,
      serverCpuMs,
      databaseMs,
      busyCores: reading.busyCores,
    };
  } finally {
    await app.close();
    await drop?.();
    mail.stop();
    twilio.stop();
  }
}

/** CPU ms so far of each PostgreSQL backend serving the bench database (undefined: not on this machine). */
async function databaseCpuMs(app: Awaited<ReturnType<typeof buildApp>>) {
  if (app.dbKind !== 'postgres') return undefined;
  const result = (await app.db.execute(
    sql`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`,
  )) as unknown as { rows: { pid: number }[] };
  const byPid = new Map<number, number>();
  for (const { pid } of result.rows) {
    const used = processCpuMs(pid);
    if (used === undefined) return undefined;
    byPid.set(pid, used);
  }
  return byPid;
}

/** Backends alive at the end (a new one counts from its start; one closed meanwhile is lost). */
function databaseCpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let ms = 0;
  for (const [pid, used] of after) ms += used - (before.get(pid) ?? 0);
  return ms;
}

const kinds: ('pglite' | 'postgres')[] = process.env.BENCH_DB
  ? [process.env.BENCH_DB as 'pglite' | 'postgres']
  : process.env.TEST_DATABASE_URL
    ? ['pglite', 'postgres']
    : ['pglite'];
const load = os
  .loadavg()
  .map((l) => l.toFixed(2))
  .join(' ');
const results = [];
for (const kind of kinds) results.push(await run(kind));
const perMessage = (ms: number, r: { sent: number }) => (Number.isNaN(ms) ? '–' : (ms / r.sent).toFixed(2));
/**
 * A quiet machine of this size: the cloud is one Node thread (its CPU for the batch is a floor on
 * one core), it shares the cores with PostgreSQL, and nothing leaves before its due time (60 s).
 */
const quietDrain = (r: { cpuMs: number; databaseMs: number }) => {
  const db = Number.isNaN(r.databaseMs) ? 0 : r.databaseMs;
  return Math.max(60, r.cpuMs / 1000, (r.cpuMs + db) / 1000 / os.cpus().length).toFixed(0);
};
const rows = results.map(
  (r) =>
    `| ${r.kind} | ${r.sent} | ${r.received} | ${r.texts} | ${r.callbacks} | ${r.seconds.toFixed(1)} | ${(r.sent / r.seconds).toFixed(0)} | ${r.busyCores ?? '–'} | ${perMessage(r.cpuMs, r)} | ${perMessage(r.serverCpuMs, r)} | ${perMessage(r.databaseMs, r)} | ${quietDrain(r)} |`,
);
// What follows "## History" in the file (earlier runs, what changed) is kept across runs.
let history = '';
try {
  const previous = readFileSync(OUT, 'utf8');
  const at = previous.indexOf('\n## History');
  if (at >= 0) history = previous.slice(at);
} catch {}
const md = `# Notifications load: reminders through the cloud's job queue

Generated by \`npx tsx cloud/bench/notifications.bench.ts\` on ${new Date().toISOString()}.

- Machine: ${os.cpus()[0]?.model ?? 'unknown'}, ${os.cpus().length} cores; Node ${process.version}; load averages at start: ${load} (shared with other engineers' runs).
- ${N} confirmed bookings (customers with an email and a phone), one 24 h reminder job each, due spread evenly over 60 s (pg-boss \`startAfter\`). The cloud's reminder workers take the due jobs in batches, read the batch's facts, write one reminder row per channel, send the email through nodemailer (pool of 10) to the test SMTP server and the SMS through the twilio SDK to the Twilio simulator (instant timing), and mark the rows sent; the simulator's signed status callbacks (3 per text) come back to the listening cloud.
- The SMTP server and the Twilio simulator run in their own processes (\`clubos-sim\`), so the cloud's CPU below is the cloud's alone. CPU is measured from the first due time until every row is sent and the last callback answered; PostgreSQL's is its backends serving the bench database (approximate: a backend closed meanwhile is lost).
- Drain: from the first due time until every reminder row (2 × N: email and SMS) is \`sent\`; a reminder cannot leave before its due time, so 60 s is the floor. On a loaded machine the drain measures the CPU share the run got; CPU per message does not depend much on load. "Quiet machine" = max(60 s, cloud CPU on its one thread, (cloud + PostgreSQL CPU) / cores).

| database | rows sent | received by SMTP | texts at Twilio | status callbacks taken | drain s (60 s floor) | sent per s over the drain | machine cores busy | cloud CPU ms per message | servers' CPU ms per message | PostgreSQL CPU ms per message | quiet machine drain s (estimate) |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
${rows.join('\n')}
${history}`;
writeFileSync(OUT, md);
console.log(md);
process.exit(0);
