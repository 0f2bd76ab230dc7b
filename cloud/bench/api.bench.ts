import { execSync, fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon, { type Options } from 'autocannon';
import { testDatabaseUrl } from '../src/config.js';
import { contendedBookings, distinctBookings, scratchDatabase } from './bench-facility.js';
import type { ServerMessage } from './bench-server.js';
import { CORES, startCpuMeter } from './cpu-meter.js';
import { type PacedOptions, pacedLoad } from './paced-load.js';

/**
 * Load run of the cloud HTTP API over loopback (docs/performance.md, how the figures were measured): booking
 * creation on distinct slots and under contention, and availability of a 16-bay facility for one day, on
 * PostgreSQL (TEST_DATABASE_URL) and on PGlite. Percentiles come from autocannon's per-response float times;
 * throughput runs are closed loops of N connections, paced runs an even open-loop rate (`paced-load.ts`).
 */
export interface ScenarioResult {
  database: string;
  scenario: string;
  mode: 'throughput' | 'paced';
  connections: number;
  rate: number | null;
  seconds: number;
  requests: number;
  perSecond: number;
  statuses: Record<string, number>;
  p50: number;
  p95: number;
  p99: number;
  /** CPU time of the server process (not the database) per response: mostly independent of load. */
  serverCpuMsPerRequest: number;
  /** Request parsed → response written, measured inside the server process. */
  serverP50: number;
  serverP95: number;
  /** CPU of the load generator (autocannon, this process) per response. */
  loadGeneratorCpuMsPerRequest: number;
  /** CPU of the whole machine per response (server, database, load generator, anything else). */
  machineCpuMsPerRequest: number | null;
  /** Average busy cores of the machine during the scenario. */
  busyCores: number | null;
}

function perRequest(ms: number, requests: number): number {
  return Math.round((ms / Math.max(1, requests)) * 100) / 100;
}

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

type Load = () => Promise<{ times: number[]; statuses: Record<string, number>; seconds: number }>;

/** An autocannon run, or (`paced`) an even open-loop rate from `pacedLoad`. */
function loadOf(options: Options): { load: Load; connections: number; rate: number | null } {
  return { load: () => run(options), connections: options.connections ?? 10, rate: null };
}

function pacedOf(options: PacedOptions): { load: Load; connections: number; rate: number | null } {
  return { load: () => pacedLoad(options), connections: options.sockets ?? 32, rate: options.rate };
}

async function scenario(
  database: string,
  name: string,
  mode: ScenarioResult['mode'],
  how: { load: Load; connections: number; rate: number | null },
  serverCpu: () => Promise<{ ms: number; serverTimes: number[] }>,
): Promise<ScenarioResult> {
  const cpuBefore = (await serverCpu()).ms;
  const meter = startCpuMeter();
  const { times, statuses, seconds } = await how.load();
  const cpu = meter();
  const after = await serverCpu();
  const cpuMs = after.ms - cpuBefore;
  const serverTimes = after.serverTimes.sort((a, b) => a - b);
  const result: ScenarioResult = {
    database,
    scenario: name,
    mode,
    connections: how.connections,
    rate: how.rate,
    seconds: Math.round(seconds * 10) / 10,
    requests: times.length,
    perSecond: Math.round(times.length / seconds),
    statuses,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    serverCpuMsPerRequest: Math.round((cpuMs / Math.max(1, times.length)) * 100) / 100,
    serverP50: percentile(serverTimes, 50),
    serverP95: percentile(serverTimes, 95),
    loadGeneratorCpuMsPerRequest: perRequest(cpu.loadGeneratorMs, times.length),
    machineCpuMsPerRequest:
      cpu.machineBusyMs === undefined ? null : perRequest(cpu.machineBusyMs, times.length),
    busyCores: cpu.busyCores ?? null,
  };
  console.log(
    `${database} ${name} (${mode}): ${result.perSecond}/s p50 ${result.p50.toFixed(2)} p95 ${result.p95.toFixed(2)} p99 ${result.p99.toFixed(2)} ms, server CPU ${result.serverCpuMsPerRequest} ms/req, in-server p50 ${result.serverP50.toFixed(2)} p95 ${result.serverP95.toFixed(2)} ms, load generator ${result.loadGeneratorCpuMsPerRequest} ms/req, machine ${result.machineCpuMsPerRequest} ms/req on ${result.busyCores} of ${CORES} cores`,
    statuses,
  );
  return result;
}

/** The cloud in a child process; `cpu()` reads its CPU time (ms) so far. */
async function startServer(databaseUrl: string | undefined) {
  const child = fork(fileURLToPath(new URL('./bench-server.ts', import.meta.url)), [], {
    // BENCH_SERVER_PROFILE=<dir> writes the server's CPU profile there (node --cpu-prof).
    execArgv: [
      '--import',
      'tsx',
      ...(process.env.BENCH_SERVER_PROFILE
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SERVER_PROFILE}`]
        : []),
    ],
    env: { ...process.env, BENCH_DATABASE_URL: databaseUrl ?? '' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T extends ServerMessage['type']>(type: T) =>
    new Promise<Extract<ServerMessage, { type: T }>>((resolve, reject) => {
      const onMessage = (message: ServerMessage) => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message as Extract<ServerMessage, { type: T }>);
      };
      const onExit = (code: number | null) => reject(new Error(`bench server exited (${code})`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const ready = await next('ready');
  return {
    base: ready.base,
    facility: ready.facility,
    cpu: async () => {
      const answer = next('cpu');
      child.send({ type: 'cpu' });
      return answer;
    },
    close: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'close' });
      await exited;
    },
  };
}

async function benchDatabase(database: 'postgres' | 'pglite', seconds: number): Promise<ScenarioResult[]> {
  let databaseUrl: string | undefined;
  let drop: (() => Promise<void>) | undefined;
  if (database === 'postgres') {
    const scratch = await scratchDatabase();
    if (!scratch) return [];
    databaseUrl = scratch.url;
    drop = scratch.drop;
  }
  const server = await startServer(databaseUrl);
  try {
    const { base, facility } = server;
    const { firstDay } = facility;
    const distinct = distinctBookings(facility);
    const contended = contendedBookings(facility);
    const post = (body: () => string): Options['requests'] => [
      {
        method: 'POST',
        path: '/api/v1/bookings',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => ({ ...request, body: body() }),
      },
    ];
    const day = new Date(firstDay + 86_400_000).toISOString().slice(0, 10);
    const availabilityUrl = `${base}/api/v1/availability?facility_id=${facility.facilityId}&date=${day}&duration=60`;

    const results: ScenarioResult[] = [];
    // Warm-up (JIT, pool, plan cache).
    await run({ url: base, connections: 8, duration: 2, requests: post(distinct) });
    await run({ url: availabilityUrl, connections: 4, duration: 1 });

    const booking = { method: 'POST' as const, headers: { 'content-type': 'application/json' } };
    const scenarios: (readonly [string, ScenarioResult['mode'], ReturnType<typeof loadOf>])[] = [
      [
        'booking, distinct slots',
        'throughput',
        loadOf({ url: base, connections: 32, duration: seconds, requests: post(distinct) }),
      ],
      // Even rates: half the closed loop's throughput, and (PostgreSQL) the seed's 1,000 a second.
      ...(database === 'postgres' ? [500, 1000] : [150, 300]).map(
        (rate) =>
          [
            'booking, distinct slots',
            'paced',
            pacedOf({ url: `${base}/api/v1/bookings`, ...booking, body: distinct, rate, seconds }),
          ] as const,
      ),
      [
        'booking, contention (4 hot slots)',
        'throughput',
        loadOf({ url: base, connections: 32, duration: seconds, requests: post(contended) }),
      ],
      [
        'availability, 16 bays, 1 day',
        'throughput',
        loadOf({ url: availabilityUrl, connections: 16, duration: seconds }),
      ],
      // The same listing at lower load, so the note can say at which load its p95 holds: one client
      // asking back to back, and four; then even rates.
      [
        'availability, 16 bays, 1 day (1 client)',
        'throughput',
        loadOf({ url: availabilityUrl, connections: 1, duration: seconds }),
      ],
      [
        'availability, 16 bays, 1 day (4 clients)',
        'throughput',
        loadOf({ url: availabilityUrl, connections: 4, duration: seconds }),
      ],
      ...(database === 'postgres' ? [200, 1000] : [100, 200]).map(
        (rate) =>
          [
            'availability, 16 bays, 1 day',
            'paced',
            pacedOf({ url: availabilityUrl, rate, seconds }),
          ] as const,
      ),
    ];
    // BENCH_ONLY=<text> runs only the scenarios whose name contains it (a profile of one path).
    const only = process.env.BENCH_ONLY;
    for (const [name, mode, how] of scenarios) {
      if (only && !name.includes(only)) continue;
      results.push(await scenario(database, name, mode, how, server.cpu));
    }
    return results;
  } finally {
    await server.close();
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
      `| ${r.database} | ${r.scenario} | ${r.mode}${r.rate ? ` @ ${r.rate}/s` : ''} | ${r.connections} | ${r.requests} | ${r.perSecond} | ${r.p50.toFixed(2)} | ${r.p95.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.serverCpuMsPerRequest} | ${r.loadGeneratorCpuMsPerRequest} | ${r.machineCpuMsPerRequest ?? '—'} | ${r.busyCores ?? '—'} | ${r.serverP50.toFixed(2)} | ${r.serverP95.toFixed(2)} | ${Object.entries(
        r.statuses,
      )
        .map(([k, v]) => `${k}×${v}`)
        .join(' ')} |`,
  );
  return [
    '| database | scenario | mode | conns | requests | req/s | p50 ms | p95 ms | p99 ms | server CPU ms/req | load generator CPU ms/req | machine CPU ms/req | busy cores | in-server p50 ms | in-server p95 ms | statuses |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** Runs every scenario and writes `bench/cloud-api.md` at the repository root. */
export async function runCloudBench(
  options: { seconds?: number; out?: string; databases?: ('postgres' | 'pglite')[] } = {},
): Promise<ScenarioResult[]> {
  const seconds = options.seconds ?? 8;
  const info = machineInfo();
  const results: ScenarioResult[] = [];
  for (const database of options.databases ?? ['postgres', 'pglite']) {
    results.push(...(await benchDatabase(database, seconds)));
  }
  const out =
    options.out ?? path.resolve(fileURLToPath(new URL('../../bench/cloud-api.md', import.meta.url)));
  writeFileSync(
    out,
    `# Cloud API load run\n\nMeasured ${new Date().toISOString()} by \`cloud/bench/api.bench.ts\` (over loopback: autocannon for the ` +
      `throughput rows, an even-rate client (\`paced-load.ts\`) for the paced rows; ${seconds} s per scenario; ` +
      `percentiles from per-response times).\n\n${info}\n\n${table(results)}\n\n` +
      'Targets (issue): PostgreSQL ≥ 2,000 bookings/s sustained with p95 < 25 ms; availability p95 < 5 ms. ' +
      'Seed: 1,000 bookings per minute, p95 < 100 ms.\n' +
      'Contention rows: almost every request is a 409 with alternatives (exactly one booking per hot slot).\n' +
      'Availability "(1 client)" and "(4 clients)" rows: the same listing with that many connections asking back to ' +
      'back (closed loop), next to the saturating 16-connection row, to show at which load its p95 holds.\n' +
      'The server runs in its own process (`bench-server.ts`); "server CPU" is that process\'s CPU time per ' +
      'response and "in-server" the time from request parsed to response written, both apart from the load ' +
      'generator. "Load generator CPU" is autocannon\'s (the bench process); "machine CPU" is every process on the ' +
      `machine (server, PostgreSQL, load generator) per response, and "busy cores" the machine's average of its ${CORES}. ` +
      'When the cores are all busy, cores × 1000 / machine CPU ms per request is the most any tuning of one part ' +
      'can reach on this machine. Statements and database CPU per request: `cloud/bench/profile.ts` ' +
      '(see cloud/bench/README.md).\n',
  );
  return results;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // BENCH_DB=postgres|pglite narrows the run, BENCH_SECONDS shortens it, BENCH_OUT writes elsewhere
  // (a quick comparison while profiling must not overwrite the recorded table).
  const only = process.env.BENCH_DB;
  runCloudBench({
    ...(only ? { databases: only.split(',') as ('postgres' | 'pglite')[] } : {}),
    ...(process.env.BENCH_SECONDS ? { seconds: Number(process.env.BENCH_SECONDS) } : {}),
    ...(process.env.BENCH_OUT ? { out: process.env.BENCH_OUT } : {}),
  }).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
