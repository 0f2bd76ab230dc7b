import { execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon, { type Options } from 'autocannon';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { testConfig, testDatabaseUrl } from '../src/config.js';
import { FacilityRepository } from '../src/facilities/facility.repository.js';

/**
 * Load run of the cloud HTTP API over loopback (DESIGN.md "Measuring"): booking creation on
 * distinct slots and under contention, and availability of a 16-bay facility for one day, on
 * PostgreSQL (TEST_DATABASE_URL) and on PGlite. Percentiles come from autocannon's per-response
 * float times; throughput runs are open-loop, latency runs use a fixed request rate.
 */
export interface ScenarioResult {
  database: string;
  scenario: string;
  mode: 'throughput' | 'fixed-rate';
  connections: number;
  rate: number | null;
  seconds: number;
  requests: number;
  perSecond: number;
  statuses: Record<string, number>;
  p50: number;
  p95: number;
  p99: number;
}

const BAYS = 16;
const SLOT_MIN = 15;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

async function run(
  options: Options,
): Promise<{ times: number[]; statuses: Record<string, number>; seconds: number }> {
  const times: number[] = [];
  const statuses: Record<string, number> = {};
  const started = process.hrtime.bigint();
  await new Promise<void>((resolve, reject) => {
    const instance = autocannon(options, (error) => (error ? reject(error) : resolve()));
    instance.on('response', (_client, statusCode, _bytes, ms) => {
      times.push(ms);
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    });
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { times: times.sort((a, b) => a - b), statuses, seconds };
}

async function scenario(
  database: string,
  name: string,
  mode: ScenarioResult['mode'],
  options: Options,
): Promise<ScenarioResult> {
  const { times, statuses, seconds } = await run(options);
  const result: ScenarioResult = {
    database,
    scenario: name,
    mode,
    connections: options.connections ?? 10,
    rate: options.overallRate ?? null,
    seconds: Math.round(seconds * 10) / 10,
    requests: times.length,
    perSecond: Math.round(times.length / seconds),
    statuses,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
  };
  console.log(
    `${database} ${name} (${mode}): ${result.perSecond}/s p50 ${result.p50.toFixed(2)} p95 ${result.p95.toFixed(2)} p99 ${result.p99.toFixed(2)} ms`,
    statuses,
  );
  return result;
}

async function benchDatabase(database: 'postgres' | 'pglite', seconds: number): Promise<ScenarioResult[]> {
  let databaseUrl: string | undefined;
  let drop: (() => Promise<void>) | undefined;
  if (database === 'postgres') {
    const server = testDatabaseUrl();
    if (!server) return [];
    const name = `clubos_bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(server);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    drop = async () => {
      const client = new pg.Client({ connectionString: server });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    };
  }
  const app = await buildApp({ config: testConfig({ databaseUrl, logLevel: 'silent' }) });
  try {
    const repo = new FacilityRepository(app.db);
    const facility = await repo.insertFacility({ name: 'Bench Golf', timezone: 'UTC' });
    const bays: string[] = [];
    for (let i = 1; i <= BAYS; i++) {
      const bay = await repo.insertBay({
        facilityId: facility.id,
        name: `Bay ${i}`,
        bayNumber: i,
        hourlyRateCents: 4000,
      });
      bays.push(bay.id);
      await repo.insertAvailabilityRules(
        Array.from({ length: 7 }, (_, day) => ({
          simulatorId: bay.id,
          dayOfWeek: day,
          startTime: '00:00',
          endTime: '24:00',
          slotDuration: SLOT_MIN,
          maxAdvanceDays: 365,
          minAdvanceHours: 1,
        })),
      );
    }
    await repo.insertPricingRules([
      {
        facilityId: facility.id,
        name: 'Evening peak',
        conditions: { start_time: '17:00', end_time: '23:00' },
        modifierType: 'percentage',
        priceModifier: '25',
      },
    ]);
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const firstDay = Date.UTC(
      new Date().getUTCFullYear(),
      new Date().getUTCMonth(),
      new Date().getUTCDate() + 2,
    );
    const slotsPerDay = (24 * 60) / SLOT_MIN;

    // Every request books a slot nobody has booked: bay, then 15-minute step, then day.
    let next = 0;
    const distinct = () => {
      const n = next++;
      const bay = bays[n % BAYS]!;
      const step = Math.floor(n / BAYS);
      const start =
        firstDay + (Math.floor(step / slotsPerDay) * 1440 + (step % slotsPerDay) * SLOT_MIN) * 60_000;
      return JSON.stringify({
        simulator_id: bay,
        start_time: new Date(start).toISOString(),
        duration: SLOT_MIN,
        customer: { email: `bench${n}@example.com` },
      });
    };
    // Contention: everyone wants the same 4 slots on the same 2 bays (a hot evening).
    let hot = 0;
    const contended = () => {
      const n = hot++;
      const start = firstDay + 300 * 86_400_000 + (n % 4) * SLOT_MIN * 60_000;
      return JSON.stringify({
        simulator_id: bays[n % 2],
        start_time: new Date(start).toISOString(),
        duration: SLOT_MIN,
        customer: { email: `hot${n}@example.com` },
      });
    };
    const post = (body: () => string): Options['requests'] => [
      {
        method: 'POST',
        path: '/api/v1/bookings',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => ({ ...request, body: body() }),
      },
    ];
    const day = new Date(firstDay + 86_400_000).toISOString().slice(0, 10);
    const availabilityUrl = `${base}/api/v1/availability?facility_id=${facility.id}&date=${day}&duration=60`;

    const results: ScenarioResult[] = [];
    // Warm-up (JIT, pool, plan cache).
    await run({ url: base, connections: 8, duration: 2, requests: post(distinct) });
    await run({ url: availabilityUrl, connections: 4, duration: 1 });

    results.push(
      await scenario(database, 'booking, distinct slots', 'throughput', {
        url: base,
        connections: 32,
        duration: seconds,
        requests: post(distinct),
      }),
    );
    results.push(
      await scenario(database, 'booking, distinct slots', 'fixed-rate', {
        url: base,
        connections: 32,
        duration: seconds,
        overallRate: database === 'postgres' ? 1000 : 300,
        requests: post(distinct),
      }),
    );
    results.push(
      await scenario(database, 'booking, contention (4 hot slots)', 'throughput', {
        url: base,
        connections: 32,
        duration: seconds,
        requests: post(contended),
      }),
    );
    results.push(
      await scenario(database, 'availability, 16 bays, 1 day', 'throughput', {
        url: availabilityUrl,
        connections: 16,
        duration: seconds,
      }),
    );
    results.push(
      await scenario(database, 'availability, 16 bays, 1 day', 'fixed-rate', {
        url: availabilityUrl,
        connections: 16,
        duration: seconds,
        overallRate: 200,
      }),
    );
    return results;
  } finally {
    await app.close();
    await drop?.();
  }
}

function machineInfo(): string {
  const cpus = os.cpus();
  let postgres = 'not measured (TEST_DATABASE_URL unset)';
  const server = testDatabaseUrl();
  if (server) {
    try {
      postgres =
        execSync(`psql "${server}" -tAc "select version()"`, { encoding: 'utf8' }).trim().split(',')[0] ??
        postgres;
    } catch {
      postgres = 'PostgreSQL (version query failed)';
    }
  }
  return [
    `- CPU: ${cpus.length} × ${cpus[0]?.model ?? 'unknown'}`,
    `- Memory: ${Math.round(os.totalmem() / 2 ** 30)} GiB; load average at start ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')}`,
    `- Node ${process.version}, ${os.type()} ${os.release()}`,
    `- ${postgres}; PGlite (in memory, WASM, single connection)`,
  ].join('\n');
}

function table(results: ScenarioResult[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.database} | ${r.scenario} | ${r.mode}${r.rate ? ` @ ${r.rate}/s` : ''} | ${r.connections} | ${r.requests} | ${r.perSecond} | ${r.p50.toFixed(2)} | ${r.p95.toFixed(2)} | ${r.p99.toFixed(2)} | ${Object.entries(
        r.statuses,
      )
        .map(([k, v]) => `${k}×${v}`)
        .join(' ')} |`,
  );
  return [
    '| database | scenario | mode | conns | requests | req/s | p50 ms | p95 ms | p99 ms | statuses |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** Runs every scenario and writes `bench/cloud-api.md` at the repository root. */
export async function runCloudBench(
  options: { seconds?: number; out?: string } = {},
): Promise<ScenarioResult[]> {
  const seconds = options.seconds ?? 8;
  const info = machineInfo();
  const results = [
    ...(await benchDatabase('postgres', seconds)),
    ...(await benchDatabase('pglite', seconds)),
  ];
  const out =
    options.out ?? path.resolve(fileURLToPath(new URL('../../bench/cloud-api.md', import.meta.url)));
  writeFileSync(
    out,
    `# Cloud API load run\n\nMeasured ${new Date().toISOString()} by \`cloud/bench/api.bench.ts\` (autocannon over loopback, ` +
      `${seconds} s per scenario; percentiles from per-response float times).\n\n${info}\n\n${table(results)}\n\n` +
      'Targets (issue): PostgreSQL ≥ 2,000 bookings/s sustained with p95 < 25 ms; availability p95 < 5 ms. ' +
      'Seed: 1,000 bookings per minute, p95 < 100 ms.\n' +
      'Contention rows: almost every request is a 409 with alternatives (exactly one booking per hot slot).\n',
  );
  return results;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runCloudBench().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
