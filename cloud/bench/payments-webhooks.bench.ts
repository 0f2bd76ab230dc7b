import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { testConfig } from '../src/config.js';
import { PaymentsRepository } from '../src/payments/payments.repository.js';
import { StripeEventsRepository } from '../src/payments/stripe-events.repository.js';
import { createTestDatabase } from '../src/testing/test-app.js';
import { startCpuMeter } from './cpu-meter.js';
import { startPostgresMeter, startProcessesMeter } from './sim-processes.js';

/**
 * Stripe webhooks processed per second (issue #14 asks ≥ 1,000/s on PostgreSQL): N bookings with a
 * pending online payment each; every one gets `payment_intent.succeeded` and `refund.created`,
 * signed as Stripe signs them, posted C at a time. Measured: wall time from the first post until
 * every event is applied (stored, acknowledged, through the ledger), and the acknowledgement time.
 * `BENCH_BOOKINGS`, `BENCH_CONCURRENCY`, `BENCH_OUT`, `BENCH_DB=postgres|pglite` (one database only).
 */
const SECRET = 'whsec_bench';
const BOOKINGS = Number(process.env.BENCH_BOOKINGS ?? 2_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
/** `BENCH_HOLDS=1`: each payment's booking is a real checkout hold, confirmed by its payment. */
const HOLDS = process.env.BENCH_HOLDS === '1';
const OUT = process.env.BENCH_OUT ?? join(import.meta.dirname, '../../bench/payments-webhooks.md');

/** Statements sent to PostgreSQL (round trips, BEGIN and COMMIT included), counted while measuring. */
let statements = 0;
const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  statements++;
  return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pg.Client.prototype.query;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

async function run(kind: 'pglite' | 'postgres') {
  const { databaseUrl, drop } = await createTestDatabase(kind, 'clubos_bench_pay');
  const app = await buildApp({
    config: testConfig({
      databaseUrl,
      logLevel: 'silent',
      payments: {
        stripeSecretKey: undefined,
        webhookSecret: SECRET,
        api: undefined,
        maxNetworkRetries: 0,
        timeoutMs: 5_000,
      },
    }),
  });
  try {
    const facility = await app.services.facilityRepository.insertFacility({ name: 'Bench venue' });
    const payments = new PaymentsRepository(app.db);
    const bodies: string[] = [];
    const bay = HOLDS
      ? await app.services.facilityRepository.insertBay({
          facilityId: facility.id,
          name: 'Bay 1',
          bayNumber: 1,
          type: 'trackman',
          hourlyRateCents: 4500,
          unifiDoorId: 'door-bay-1',
        })
      : undefined;
    let customerId: string | null = null;
    for (let i = 0; i < BOOKINGS; i++) {
      const bookingId = randomUUID();
      if (bay) {
        // A customer per 10 bookings (their totals are updated as each is confirmed).
        if (i % 10 === 0) {
          customerId = randomUUID();
          await app.db.execute(
            sql`insert into customers (id, email) values (${customerId}, ${`b-${customerId}@example.test`})`,
          );
        }
        const start = new Date(Date.UTC(2031, 0, 1) + i * 3_600_000);
        const end = new Date(start.getTime() + 3_600_000).toISOString();
        await app.db.execute(sql`insert into bookings (id, facility_id, simulator_id, customer_id, start_time,
            end_time, blocked_until, duration, status, price_cents, reference_code, hold_expires_at)
          values (${bookingId}, ${facility.id}, ${bay.id}, ${customerId}, ${start.toISOString()}, ${end}, ${end},
            60, 'pending', 4500, ${`B${i}`}, ${new Date(Date.now() + 3_600_000).toISOString()})`);
      }
      const payment = await payments.insertPayment(app.db, {
        bookingId,
        facilityId: facility.id,
        kind: 'online',
        provider: 'stripe',
        attempt: 1,
        amountCents: 4500,
        currency: 'usd',
      });
      const metadata = { clubos_booking_id: payment.bookingId, clubos_payment_id: payment.id };
      const intent = {
        id: `pi_bench_${i}`,
        object: 'payment_intent',
        amount: 4500,
        amount_received: 4500,
        metadata,
      };
      bodies.push(
        JSON.stringify({
          id: `evt_pi_${i}`,
          object: 'event',
          type: 'payment_intent.succeeded',
          data: { object: intent },
        }),
        JSON.stringify({
          id: `evt_re_${i}`,
          object: 'event',
          type: 'refund.created',
          data: {
            object: {
              id: `re_bench_${i}`,
              object: 'refund',
              amount: 1000,
              status: 'succeeded',
              payment_intent: intent.id,
              metadata,
            },
          },
        }),
      );
    }
    // The load generator (signing, HTTP client) runs in its own process over real HTTP, so this
    // process's CPU is the cloud's alone.
    const bodiesDir = mkdtempSync(join(os.tmpdir(), 'clubos-bench-pay-'));
    const bodiesFile = join(bodiesDir, 'bodies.json');
    writeFileSync(bodiesFile, JSON.stringify(bodies));
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const poster = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(import.meta.dirname, 'webhook-poster.ts'),
        `${address}/api/v1/payments/stripe/webhook`,
        SECRET,
        bodiesFile,
        String(CONCURRENCY),
      ],
      { cwd: join(import.meta.dirname, '..'), stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const lines = createInterface({ input: poster.stdout! })[Symbol.asyncIterator]();
    if ((await lines.next()).value !== 'ready') throw new Error('the webhook poster did not start');
    rmSync(bodiesDir, { recursive: true });
    const database = databaseUrl ? new URL(databaseUrl).pathname.slice(1) : undefined;
    const postgresCpu = database ? startPostgresMeter(database) : undefined;
    const posterCpu = startProcessesMeter([poster.pid as number]);
    const cpu = startCpuMeter();
    statements = 0;
    const started = performance.now();
    poster.stdin!.write('go\n');
    const result = JSON.parse((await lines.next()).value as string) as { ackMs?: number[]; error?: string };
    if (!result.ackMs) throw new Error(`the webhook poster failed: ${result.error}`);
    const ackMs = result.ackMs;
    await app.services.stripeWebhooks.idle();
    const wallMs = performance.now() - started;
    const reading = cpu();
    const posterMs = posterCpu();
    const postgresMs = postgresCpu?.();
    poster.kill('SIGTERM');
    const sent = statements;
    const counts = await new StripeEventsRepository(app.db).counts();
    if (counts.applied !== bodies.length)
      throw new Error(`only ${counts.applied} of ${bodies.length} applied`);
    if (bay) {
      const { rows } = (await app.db.execute(
        sql`select count(*)::int as n from bookings where status = 'confirmed'`,
      )) as unknown as { rows: { n: number }[] };
      if (rows[0]!.n !== BOOKINGS) throw new Error(`only ${rows[0]!.n} of ${BOOKINGS} holds confirmed`);
    }
    return {
      kind,
      events: bodies.length,
      perSecond: Math.round((bodies.length / wallMs) * 1000),
      ackP50: percentile(ackMs, 50),
      ackP95: percentile(ackMs, 95),
      cloudMsPerEvent: reading.loadGeneratorMs / bodies.length,
      posterMsPerEvent: posterMs === undefined ? undefined : posterMs / bodies.length,
      postgresMsPerEvent: postgresMs && postgresMs.databaseMs / bodies.length,
      allPostgresMsPerEvent: postgresMs && postgresMs.allMs / bodies.length,
      cpuMsPerEvent: reading.machineBusyMs === undefined ? undefined : reading.machineBusyMs / bodies.length,
      busyCores: reading.busyCores,
      statementsPerEvent: kind === 'postgres' ? sent / bodies.length : undefined,
    };
  } finally {
    await app.close();
    await drop?.();
  }
}

const kinds: ('pglite' | 'postgres')[] = (
  process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite']
).filter((k) => !process.env.BENCH_DB || process.env.BENCH_DB === k) as ('pglite' | 'postgres')[];
const rows = [];
for (const kind of kinds) rows.push(await run(kind));
const load = os
  .loadavg()
  .map((l) => l.toFixed(1))
  .join(', ');
const ms = (v: number | undefined) => (v === undefined ? 'n/a' : `${v.toFixed(2)} ms`);
const table = [
  '# Stripe webhooks processed per second',
  '',
  `\`npx tsx cloud/bench/payments-webhooks.bench.ts\` (with TEST_DATABASE_URL for PostgreSQL): ${BOOKINGS} bookings,`,
  `${HOLDS ? 'each a checkout hold confirmed by its payment, ' : ''}one \`payment_intent.succeeded\` and one \`refund.created\` each, signed, ${CONCURRENCY} in flight`,
  'over keep-alive HTTP from a load generator in its own process. A row counts from the first post until every',
  `event is stored, acknowledged and applied through the ledger. ${os.cpus().length} cores, load average (1, 5, 15 min) ${load} at the end.`,
  '',
  "Cloud CPU is the cloud's process alone (PGlite included when it is the database); load generator CPU is the",
  "child's; PostgreSQL CPU is the backends of the bench's database (and, in brackets, every postgres process:",
  "WAL writer, checkpointer, other engineers' databases); machine CPU is every process on the machine.",
  '',
  '| database | events | applied per second | acknowledgement p50 | p95 | statements per event | cloud CPU per event | PostgreSQL CPU per event | load generator CPU per event | machine CPU per event | busy cores |',
  '|---|---|---|---|---|---|---|---|---|---|---|',
  ...rows.map(
    (r) =>
      `| ${r.kind} | ${r.events} | **${r.perSecond}** | ${r.ackP50.toFixed(1)} ms | ${r.ackP95.toFixed(1)} ms | ${r.statementsPerEvent === undefined ? 'n/a' : r.statementsPerEvent.toFixed(1)} | ${ms(r.cloudMsPerEvent)} | ${ms(r.postgresMsPerEvent)}${r.allPostgresMsPerEvent === undefined ? '' : ` (${ms(r.allPostgresMsPerEvent)})`} | ${ms(r.posterMsPerEvent)} | ${ms(r.cpuMsPerEvent)} | ${r.busyCores ?? 'n/a'} |`,
  ),
  '',
];
writeFileSync(OUT, table.join('\n'));
process.stdout.write(`${table.join('\n')}\n`);
