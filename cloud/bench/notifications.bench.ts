import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { startMailServer } from '@clubos/simulators/mail/index';
import { DEFAULT_FROM, startTwilioSimulator } from '@clubos/simulators/twilio/index';
import { sql } from 'drizzle-orm';
import { buildApp } from '../src/app.js';
import { testConfig } from '../src/config.js';
import { jobIdOf, REMINDER_QUEUE } from '../src/notifications/notification.queue.js';
import { freePort } from '../src/testing/sms-world.js';
import { createTestDatabase } from '../src/testing/test-app.js';
import { startCpuMeter } from './cpu-meter.js';

/**
 * Issue #15's load: N reminders falling due within one minute, sent by the cloud's pg-boss workers
 * through nodemailer (a pool of 10 connections) to the test SMTP server and, as SMS, through the
 * twilio SDK to the Twilio simulator (whose signed status callbacks come back to the listening cloud). N confirmed bookings are
 * written straight in SQL (200 bays × N/200 hours), each with its confirmation recorded (version 1),
 * and one reminder job each, due spread evenly over the next 60 s, as the dispatcher would have
 * scheduled them. Measured: from the first due time until every reminder row is `sent`.
 * `BENCH_REMINDERS` (default 10000), `BENCH_DB` (pglite | postgres; both when TEST_DATABASE_URL is set), `BENCH_OUT`.
 */
const N = Number(process.env.BENCH_REMINDERS ?? 10_000);
const OUT = process.env.BENCH_OUT ?? join(import.meta.dirname, '../../bench/notifications-cloud.md');
const BAYS = 200;

async function run(kind: 'pglite' | 'postgres') {
  const mail = await startMailServer({ httpPort: false, maxMessages: N * 2 });
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const twilio = await startTwilioSimulator({
    phoneNumbers: [{ number: DEFAULT_FROM, smsUrl: `${publicUrl}/api/v1/webhooks/twilio/sms` }],
  });
  const { databaseUrl, drop } = await createTestDatabase(kind, 'clubos_bench_notify');
  const base = testConfig().notifications;
  const app = await buildApp({
    config: testConfig({
      databaseUrl,
      logLevel: 'silent',
      notifications: {
        ...base,
        smtpUrl: `${mail.smtpUrl}?pool=true&maxConnections=10`,
        pollIntervalMs: 500,
        publicUrl,
        sms: {
          accountSid: twilio.accountSid,
          authToken: twilio.authToken,
          from: DEFAULT_FROM,
          messagingServiceSid: undefined,
          apiBaseUrl: twilio.url,
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
    const cpuMs = cpu().loadGeneratorMs;
    const texts = twilio.control.messages({ direction: 'outbound-api' }).length;
    await twilio.control.settled();
    const callbacks = twilio.control
      .webhookDeliveries('status_callback')
      .filter((d) => d.status === 200).length;
    return { kind, sent, received: mail.received(), texts, callbacks, seconds, cpuMs };
  } finally {
    await app.close();
    await drop?.();
    await mail.close();
    await twilio.close();
  }
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
const rows = results.map(
  (r) =>
    `| ${r.kind} | ${r.sent} | ${r.received} | ${r.texts} | ${r.callbacks} | ${r.seconds.toFixed(1)} | ${Math.max(0, r.seconds - 60).toFixed(1)} | ${(r.sent / r.seconds).toFixed(0)} | ${(r.cpuMs / r.sent).toFixed(2)} |`,
);
const md = `# Notifications load: reminders through the cloud's job queue

Generated by \`npx tsx cloud/bench/notifications.bench.ts\` on ${new Date().toISOString()}.

- Machine: ${os.cpus()[0]?.model ?? 'unknown'}, ${os.cpus().length} cores; Node ${process.version}; load averages at start: ${load} (shared with other engineers' runs).
- ${N} confirmed bookings (customers with an email and a phone), one 24 h reminder job each, due spread evenly over 60 s (pg-boss \`startAfter\`). The cloud's workers (batches of 50, bursting while batches are full) read each booking, check its version, write one reminder row per channel, send the email through nodemailer (pool of 10) to the test SMTP server and the SMS through the twilio SDK (20 sockets) to the Twilio simulator, both in this same process (their CPU is in the figure below), and mark the rows sent; the simulator's signed status callbacks come back to the listening cloud.
- Drain: from the first due time until every reminder row (2 × N: email and SMS) is \`sent\`; a reminder cannot leave before its due time, so 60 s is the floor.

| database | rows sent | received by SMTP | texts at Twilio | status callbacks taken | drain s (60 s floor) | last one late by s | sent per s over the drain | cloud process CPU ms per message (servers included) |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
${rows.join('\n')}
`;
writeFileSync(OUT, md);
console.log(md);
process.exit(0);
