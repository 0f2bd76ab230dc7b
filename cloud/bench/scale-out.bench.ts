import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { distinctBookings, scratchDatabase } from './bench-facility.js';
import { type CloudProcess, startCloud } from './bench-instance.js';
import { CORES, startCpuMeter } from './cpu-meter.js';

/**
 * Bookings/s with 1, 2 and 3 cloud instances on one PostgreSQL (`bench/scale-out.md`), and the same
 * run's raw PostgreSQL limit for the booking insert (pgbench into a table with the bookings'
 * exclusion constraint). No load balancer: the client splits its connections evenly over the
 * instances (client-side round robin). `BENCH_SECONDS` (default 10), `BENCH_CONNECTIONS` (32),
 * `BENCH_OUT`. Needs TEST_DATABASE_URL and pgbench on the PATH.
 */
const run = promisify(execFile);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
/** Facilities the "spread" rows book across (bookings round-robin over them). */
const SPREAD = Number(process.env.BENCH_FACILITIES ?? 15);
const OUT = process.env.BENCH_OUT ?? path.join(import.meta.dirname, '../../bench/scale-out.md');

interface Row {
  instances: number;
  /** How many facilities the bookings go to: 1 (every write for one facility) or SPREAD. */
  facilities?: string;
  perSecond: number;
  p50: number;
  p95: number;
  statuses: Record<string, number>;
  serverCpuMs: number;
  /** All instances' CPU per second of wall time when no request comes. */
  idleCpuMsPerSecond: number;
  /** Cloud CPU per booking without the idle cost. */
  serverNetCpuMs: number;
  /** PostgreSQL CPU per booking less what the idle instances' pollers cost it. */
  databaseCpuMs: number;
  idleDatabaseCpuMsPerSecond: number;
  loadGeneratorCpuMs: number;
  machineCpuMs: number | null;
  busyCores: number | null;
  load: string;
}

const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');

function percentile(sorted: number[], p: number): number {
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
  );
}

/** CPU ms (utime + stime from /proc) of each PostgreSQL backend serving `url`'s database, by pid. */
async function databaseCpu(url: string): Promise<Map<number, number>> {
  const { stdout } = await run('psql', [
    '-X',
    '-A',
    '-t',
    '-d',
    url,
    '-c',
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database()',
  ]);
  const byPid = new Map<number, number>();
  for (const pid of stdout.split('\n').filter(Boolean).map(Number)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      byPid.set(pid, (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      // A backend that ended between the query and the read.
    }
  }
  return byPid;
}

/** Backends alive at the end; a new one counts from its start (the pools keep their connections). */
function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let ms = 0;
  for (const [pid, used] of after) ms += used - (before.get(pid) ?? 0);
  return ms;
}

/** Closed-loop bookings on distinct slots, CONNECTIONS split over the instances. */
async function measure(
  url: string,
  instances: CloudProcess[],
  body: () => string,
  seconds: number,
): Promise<Row> {
  // Idle cost first (timers, pollers, pg-boss, pool keep-alive): a fixed cost per instance per
  // second, which a slow row divides by few bookings.
  const idleStart = await Promise.all(instances.map((i) => i.cpuMs()));
  const idleDbStart = await databaseCpu(url);
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const idleEnd = await Promise.all(instances.map((i) => i.cpuMs()));
  const idleMsPerSecond = idleEnd.reduce((sum, ms, i) => sum + ms - idleStart[i]!, 0) / 2;
  const idleDbMsPerSecond = cpuBetween(idleDbStart, await databaseCpu(url)) / 2;
  const cpuBefore = await Promise.all(instances.map((i) => i.cpuMs()));
  const dbBefore = await databaseCpu(url);
  const meter = startCpuMeter();
  const times: number[] = [];
  const statuses: Record<string, number> = {};
  const started = process.hrtime.bigint();
  await Promise.all(
    instances.map(
      (instance, n) =>
        new Promise<void>((resolve, reject) => {
          const connections =
            Math.floor(CONNECTIONS / instances.length) + (n < CONNECTIONS % instances.length ? 1 : 0);
          const cannon = autocannon(
            {
              url: instance.base,
              connections,
              duration: seconds,
              requests: [
                {
                  method: 'POST',
                  path: '/api/v1/bookings',
                  headers: { 'content-type': 'application/json' },
                  setupRequest: (request) => ({ ...request, body: body() }),
                },
              ],
            },
            (error) => (error ? reject(error) : resolve()),
          );
          cannon.on('response', (_client, status, _bytes, ms) => {
            times.push(ms);
            statuses[status] = (statuses[status] ?? 0) + 1;
          });
        }),
    ),
  );
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = meter();
  const cpuAfter = await Promise.all(instances.map((i) => i.cpuMs()));
  const dbAfter = await databaseCpu(url);
  const dbMs = cpuBetween(dbBefore, dbAfter);
  const serverMs = cpuAfter.reduce((sum, ms, i) => sum + ms - cpuBefore[i]!, 0);
  const booked = statuses['201'] ?? 0;
  times.sort((a, b) => a - b);
  const per = (ms: number) => Math.round((ms / Math.max(1, booked)) * 100) / 100;
  return {
    instances: instances.length,
    perSecond: Math.round(booked / wall),
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    statuses,
    serverCpuMs: per(serverMs),
    idleCpuMsPerSecond: Math.round(idleMsPerSecond),
    serverNetCpuMs: per(serverMs - idleMsPerSecond * wall),
    databaseCpuMs: per(dbMs - idleDbMsPerSecond * wall),
    idleDatabaseCpuMsPerSecond: Math.round(idleDbMsPerSecond),
    loadGeneratorCpuMs: per(cpu.loadGeneratorMs),
    machineCpuMs: cpu.machineBusyMs === undefined ? null : per(cpu.machineBusyMs),
    busyCores: cpu.busyCores ?? null,
    load: loadAverage(),
  };
}

/** pgbench: the booking insert alone, against the bookings' exclusion constraint. */
async function pgLimit(
  url: string,
  seconds: number,
): Promise<{ tps: number; latencyMs: number; load: string }> {
  const psql = (sql: string) => run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql]);
  await psql(`
    CREATE EXTENSION IF NOT EXISTS btree_gist;
    CREATE TABLE pg_limit_bookings (
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      facility_id uuid NOT NULL,
      simulator_id uuid NOT NULL,
      start_time timestamptz NOT NULL,
      end_time timestamptz NOT NULL,
      blocked_until timestamptz NOT NULL,
      status text NOT NULL,
      price_cents int NOT NULL,
      PRIMARY KEY (facility_id, id),
      EXCLUDE USING gist (facility_id WITH =, simulator_id WITH =, tstzrange(start_time, blocked_until, '[)') WITH &&)
        WHERE (status IN ('pending', 'confirmed', 'checked_in'))
    );
    CREATE SEQUENCE pg_limit_slot;`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'clubos-pglimit-'));
  const script = path.join(dir, 'insert.sql');
  writeFileSync(
    script,
    `\\set bay random(10, 25)
INSERT INTO pg_limit_bookings (facility_id, simulator_id, start_time, end_time, blocked_until, status, price_cents)
SELECT '00000000-0000-0000-0000-000000000001', ('00000000-0000-0000-0000-0000000000' || :bay)::uuid, t, t + interval '15 minutes', t + interval '15 minutes', 'confirmed', 4500
FROM (SELECT timestamptz '2030-01-01' + nextval('pg_limit_slot') * interval '15 minutes' AS t) s;
`,
  );
  try {
    const { stdout } = await run(
      'pgbench',
      ['-n', '-M', 'prepared', '-c', '8', '-j', '2', '-T', String(seconds), '-f', script, url],
      {
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const tps = Number(/tps = ([\d.]+)/.exec(stdout)?.[1] ?? Number.NaN);
    const latencyMs = Number(/latency average = ([\d.]+) ms/.exec(stdout)?.[1] ?? Number.NaN);
    return { tps: Math.round(tps), latencyMs, load: loadAverage() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const scratch = await scratchDatabase();
  if (!scratch) throw new Error('scale-out bench: set TEST_DATABASE_URL (PostgreSQL)');
  const rows: Row[] = [];
  const instances: CloudProcess[] = [];
  try {
    // Facility 0 takes every booking of the "one facility" rows; the others share the "spread" rows.
    instances.push(await startCloud(scratch.url, undefined, 1 + SPREAD));
    const facilities = instances[0]!.facilities;
    const hot = distinctBookings(facilities[0]!, 'scale');
    const spreadBodies = facilities.slice(1).map((f, i) => distinctBookings(f, `spread${i}`));
    let turn = 0;
    const spread = () => spreadBodies[turn++ % spreadBodies.length]!();
    for (const count of [1, 2, 3]) {
      while (instances.length < count) instances.push(await startCloud(scratch.url, facilities));
      for (const [label, body] of [
        ['1', hot],
        [String(SPREAD), spread],
      ] as const) {
        // Warm-up (JIT, pool, prepared statements, the facilities' catalogs), not measured.
        await measure(scratch.url, instances, body, 2);
        const row = { ...(await measure(scratch.url, instances, body, SECONDS)), facilities: label };
        console.log(
          `${count} instance(s), ${label} facilities: ${row.perSecond} bookings/s, p50 ${row.p50} p95 ${row.p95} ms, server CPU ${row.serverCpuMs} ms (idle ${row.idleCpuMsPerSecond} ms/s, net ${row.serverNetCpuMs} ms), PostgreSQL ${row.databaseCpuMs} ms (idle ${row.idleDatabaseCpuMsPerSecond} ms/s), load generator ${row.loadGeneratorCpuMs} ms, machine ${row.machineCpuMs} ms per booking, ${row.busyCores} busy cores, load ${row.load}`,
          row.statuses,
        );
        rows.push(row);
      }
    }
  } finally {
    await Promise.all(instances.map((i) => i.close()));
  }
  const limit = await pgLimit(scratch.url, SECONDS);
  console.log(`pgbench: ${limit.tps} inserts/s, ${limit.latencyMs} ms, load ${limit.load}`);
  await scratch.drop();
  writeFileSync(OUT, table(rows, limit));
  console.log(`written ${OUT}`);
}

function table(rows: Row[], limit: Awaited<ReturnType<typeof pgLimit>>): string {
  const best = Math.max(...rows.map((r) => r.perSecond));
  const own = (facilities: string) =>
    rows.filter((r) => r.facilities === facilities).map((r) => r.serverNetCpuMs + r.databaseCpuMs);
  const hot = own('1');
  const spread = own(String(SPREAD));
  const lines = [
    '# Several cloud instances on one PostgreSQL',
    '',
    `Written by \`cloud/bench/scale-out.bench.ts\` on ${new Date().toISOString().slice(0, 16)} UTC: ${CORES} cores,`,
    `${CONNECTIONS} connections closed-loop booking distinct slots for ${SECONDS} s per row, split evenly over the`,
    'instances by the client (no load balancer in this run), PostgreSQL 15 on loopback TCP. The machine is',
    "shared with other engineers' test runs: the load average (1 / 5 / 15 min) is given per row.",
    '',
    '| instances | facilities | bookings/s | p50 ms | p95 ms | cloud CPU ms / booking (all instances) | idle cloud CPU ms/s | cloud CPU ms / booking less idle | idle PostgreSQL CPU ms/s | PostgreSQL CPU ms / booking less idle | load generator CPU ms / booking | whole machine CPU ms / booking | busy cores | load average | statuses |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.instances} | ${r.facilities} | ${r.perSecond} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.serverCpuMs} | ${r.idleCpuMsPerSecond} | ${r.serverNetCpuMs} | ${r.idleDatabaseCpuMsPerSecond} | ${r.databaseCpuMs} | ${r.loadGeneratorCpuMs} | ${r.machineCpuMs ?? 'n/a'} | ${r.busyCores ?? 'n/a'} | ${r.load} | ${JSON.stringify(r.statuses)} |`,
    ),
    '',
    `Raw PostgreSQL limit, same run and database: pgbench (8 clients, prepared) inserting into a table with the`,
    `bookings' exclusion constraint: **${limit.tps} inserts/s** (latency ${limit.latencyMs} ms, load ${limit.load}).`,
    `Our best row is ${Math.round((best / Math.max(1, limit.tps)) * 100)} % of it; pgbench commits one row per statement,`,
    'while the cloud also checks availability, signs a QR token and writes customer, outbox, idempotency and change-log rows.',
    '',
    "The whole machine CPU per booking includes the other engineers' processes. The path's own cost is the cloud's",
    "CPU plus PostgreSQL's, both less their idle cost, per booking for 1 / 2 / 3 instances:",
    `one facility ${hot.map((m) => m.toFixed(2)).join(' / ')} ms; ${SPREAD} facilities ${spread.map((m) => m.toFixed(2)).join(' / ')} ms.`,
    `At the ${SPREAD}-facility three-instance cost a 16-core host (instances and PostgreSQL on it) gives`,
    `16,000 / ${spread.at(-1)!.toFixed(2)} ≈ **${Math.round(16_000 / spread.at(-1)!)} bookings/s** if CPU stays the only limit (one-instance cost:`,
    `${Math.round(16_000 / spread[0]!)}/s).`,
    "Group commit is per process: with one facility, each instance batches only its share of that facility's",
    "writes, so more instances mean smaller batches, more statements and more waits on the facility's",
    'change-log counter; see docs/decisions/012-several-cloud-instances.md.',
    '',
  ];
  return lines.join('\n');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
