import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ChangeRow, ChangesResponseSchema } from '@clubos/shared/sync';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { openDatabase } from '../src/db/database.js';
import { applyChangeBatch } from '../src/sync/change-apply.service.js';
import { toReplicaChange } from '../src/sync/feed-mapper.js';
import { readSyncState } from '../src/sync/replica.repository.js';
import { FakeCloud } from '../src/testing/fake-cloud.js';
import { seedFacility } from '../src/testing/seed-facility.js';
import { syncHarness, tempDir } from '../src/testing/sync-harness.js';
import { type EdgeMemoryResult, type EdgeMemorySection, measureEdgeMemory } from './edge-memory.js';
import { renderMemorySection } from './edge-memory.report.js';
import { COMPILED_ARGS, type EdgeStart, MALLOC_ENV, unitStart } from './edge-start.js';
import { measureReconnect, type ReconnectFigures } from './reconnect.bench.js';

/**
 * Edge sync benchmark (issue targets): catch-up rate after an outage (50,000-change backlog, > 10,000
 * changes/s), propagation from a cloud commit to the edge replica woken by the change stream (p95 < 300 ms),
 * the edge server's resident memory with 30 days × 20 bays of schedule (< 150 MB), and reconnect: both
 * ways within 500 ms of the line's return (`reconnect.bench.ts`). The cloud is
 * the test feed server (`testing/fake-cloud.ts`), which follows the `@clubos/shared/sync` schemas.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, '../..');
const HOUR = 3_600_000;

/** When a part was measured (parts can be re-run alone: `npx tsx edge/bench/sync.bench.ts memory`). */
interface Measured {
  measured_at: string;
  load_average: number[];
}

export interface EdgeSyncBenchResult {
  machine: { cpus: string; cores: number; memory_gb: number; node: string; platform: string };
  catch_up: Measured & { changes: number; seconds: number; changes_per_second: number; target: number };
  /** The same backlog applied without HTTP (validate + map + apply + cursor), to separate the edge's cost. */
  apply_only: { changes: number; seconds: number; changes_per_second: number };
  propagation_ms: Measured & { samples: number; p50: number; p95: number; p99: number; target_p95: number };
  memory: EdgeMemorySection;
  /** Absent from runs made before the part existed. */
  reconnect?: Measured & ReconnectFigures;
}

export type BenchPart = 'catch-up' | 'propagation' | 'memory' | 'reconnect';
export const BENCH_PARTS: BenchPart[] = ['catch-up', 'propagation', 'memory', 'reconnect'];

function measured(): Measured {
  return {
    measured_at: new Date().toISOString(),
    load_average: os.loadavg().map((n) => Math.round(n * 10) / 10),
  };
}

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, i)]! * 100) / 100;
}

function bookingData(cloud: FakeCloud, bay: string, start: number, minutes: number, status = 'confirmed') {
  return {
    facility_id: cloud.facilityId,
    simulator_id: bay,
    reference_code: randomUUID().slice(0, 6).toUpperCase(),
    start_time: new Date(start).toISOString(),
    end_time: new Date(start + minutes * 60_000).toISOString(),
    duration: minutes,
    status,
    price: '40.00',
    price_cents: 4000,
  };
}

/** Reads one JSON line from a child's stdout. */
function nextLine(child: ChildProcess): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      const nl = buffer.indexOf('\n');
      if (nl < 0) return;
      child.stdout?.off('data', onData);
      resolve(JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>);
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`fake cloud exited (${code})`)));
  });
}

/** The cloud runs in its own process, as it would on its own machine: only the edge's work is timed. */
export async function catchUp(changes: number): Promise<EdgeSyncBenchResult['catch_up']> {
  const cloud = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(here, '../src/testing/fake-cloud-process.ts'), '20'],
    {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const tmp = tempDir('edge-bench-');
  try {
    const { url, key } = (await nextLine(cloud)) as { url: string; key: string };
    const h = syncHarness({ file: path.join(tmp.dir, 'edge.sqlite'), cloudUrl: url, edgeKey: key });
    await h.pull.pullOnce();
    // The outage's backlog: new bookings and cancellations of them, as the cloud writes them.
    cloud.stdin?.write(`backlog ${changes}\n`);
    const { head } = (await nextLine(cloud)) as { head: number };
    const began = performance.now();
    for (;;) {
      const { hasMore } = await h.pull.pullOnce(new AbortController().signal, 0);
      if (!hasMore) break;
    }
    const seconds = (performance.now() - began) / 1000;
    if (readSyncState(h.database.db)?.cursor !== head) throw new Error('catch-up did not reach the head');
    await h.close();
    return {
      ...measured(),
      changes,
      seconds: Math.round(seconds * 100) / 100,
      changes_per_second: Math.round(changes / seconds),
      target: 10_000,
    };
  } finally {
    cloud.kill('SIGTERM');
    tmp.cleanup();
  }
}

export async function applyOnly(changes: number): Promise<EdgeSyncBenchResult['apply_only']> {
  const tmp = tempDir('edge-bench-');
  const database = openDatabase(path.join(tmp.dir, 'edge.sqlite'));
  try {
    const facilityId = randomUUID();
    const bay = randomUUID();
    const start = Date.now() + 24 * HOUR;
    const rows: ChangeRow[] = Array.from({ length: changes }, (_, i) => ({
      seq: i + 1,
      facility_id: facilityId,
      entity: 'booking',
      op: 'upsert',
      entity_id: randomUUID(),
      created_at: new Date().toISOString(),
      data: {
        facility_id: facilityId,
        simulator_id: bay,
        reference_code: 'ABC234',
        start_time: new Date(start + i * 60_000).toISOString(),
        end_time: new Date(start + i * 60_000 + HOUR).toISOString(),
        duration: 60,
        status: 'confirmed',
        price: '40.00',
        price_cents: 4000,
      },
    }));
    const check = TypeCompiler.Compile(ChangesResponseSchema);
    const began = performance.now();
    for (let i = 0; i < rows.length; i += 1000) {
      const batch = rows.slice(i, i + 1000);
      const last = batch[batch.length - 1]!.seq;
      const body = {
        v: 1,
        facility_id: facilityId,
        changes: batch,
        next_after: last,
        head: changes,
        snapshot_required: false,
      };
      if (!check.Check(body)) throw new Error('invalid batch');
      applyChangeBatch(database, batch.map(toReplicaChange), {
        head: changes,
        requestedAt: Date.now(),
        caughtUp: last === changes,
        lastSeq: last,
      });
    }
    const seconds = (performance.now() - began) / 1000;
    return {
      changes,
      seconds: Math.round(seconds * 100) / 100,
      changes_per_second: Math.round(changes / seconds),
    };
  } finally {
    database.close();
    tmp.cleanup();
  }
}

async function propagation(samples: number): Promise<EdgeSyncBenchResult['propagation_ms']> {
  const cloud = new FakeCloud();
  await cloud.listen();
  const tmp = tempDir('edge-bench-');
  try {
    const { bayIds } = seedFacility(cloud, { bays: 4 });
    const h = syncHarness({
      file: path.join(tmp.dir, 'edge.sqlite'),
      cloudUrl: cloud.url,
      edgeKey: cloud.issueKey(),
      longPollMs: 25_000,
    });
    await h.pull.pullOnce();
    h.pull.start();
    const has = h.database.sqlite.prepare('SELECT 1 FROM bookings WHERE id = ?');
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
      await new Promise((r) => setTimeout(r, 20)); // the loop is idle, waiting for a nudge
      const id = randomUUID();
      const committed = performance.now();
      cloud.put('booking', id, bookingData(cloud, bayIds[i % 4]!, Date.now() + (48 + i) * HOUR, 60));
      while (has.get(id) === undefined) await new Promise((r) => setImmediate(r));
      times.push(performance.now() - committed);
    }
    await h.close();
    times.sort((a, b) => a - b);
    return {
      ...measured(),
      samples,
      p50: percentile(times, 50),
      p95: percentile(times, 95),
      p99: percentile(times, 99),
      target_p95: 300,
    };
  } finally {
    await cloud.close();
    tmp.cleanup();
  }
}

/**
 * The edge server in its own process as systemd starts it (the unit's ExecStart and Environment=), and
 * the alternatives beside it: the same with the malloc settings, the compiled build, both, and both with
 * a smaller young generation.
 */
export function memoryStarts(): EdgeStart[] {
  const unit = unitStart();
  const candidates: EdgeStart[] = [
    unit,
    { label: 'unit + malloc settings', args: unit.args, env: { ...unit.env, ...MALLOC_ENV } },
    { label: 'compiled build', args: COMPILED_ARGS, env: { NODE_ENV: 'production' } },
    {
      label: 'compiled build + malloc settings',
      args: COMPILED_ARGS,
      env: { NODE_ENV: 'production', ...MALLOC_ENV },
    },
    {
      label: 'compiled build + malloc settings + 2 MB semi-spaces (proposed)',
      args: ['--max-semi-space-size=2', ...COMPILED_ARGS],
      env: { NODE_ENV: 'production', ...MALLOC_ENV },
    },
  ];
  const seen = new Set<string>();
  return candidates.filter((c) => {
    const key = JSON.stringify([c.args, Object.entries(c.env).sort()]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function memory(days: number, bays: number): Promise<EdgeMemorySection> {
  const at = measured();
  const variants: EdgeMemoryResult[] = [];
  for (const start of memoryStarts()) {
    process.stderr.write(`[edge-sync] memory: ${start.label}\n`);
    variants.push(await measureEdgeMemory({ start, days, bays }));
  }
  return { ...at, bays, days, target_mb: 150, variants };
}

function machine(): EdgeSyncBenchResult['machine'] {
  const cpu = os.cpus();
  return {
    cpus: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memory_gb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

/** Runs the parts asked for; the others are taken from `previous` (the last stored run). */
export async function runEdgeSyncBench(
  options: { changes?: number; samples?: number; parts?: BenchPart[]; previous?: EdgeSyncBenchResult } = {},
): Promise<EdgeSyncBenchResult> {
  const parts = options.parts ?? BENCH_PARTS;
  const previous = options.previous;
  if (previous === undefined && parts.length < BENCH_PARTS.length) {
    throw new Error('no stored run to complete: run every part once (no arguments)');
  }
  const changes = options.changes ?? 50_000;
  return {
    machine: machine(),
    catch_up: parts.includes('catch-up') ? await catchUp(changes) : previous!.catch_up,
    apply_only: parts.includes('catch-up') ? await applyOnly(changes) : previous!.apply_only,
    propagation_ms: parts.includes('propagation')
      ? await propagation(options.samples ?? 200)
      : previous!.propagation_ms,
    memory: parts.includes('memory') ? await memory(30, 20) : previous!.memory,
    ...(parts.includes('reconnect')
      ? { reconnect: { ...measured(), ...(await measureReconnect()) } }
      : previous?.reconnect === undefined
        ? {}
        : { reconnect: previous.reconnect }),
  };
}

function verdict(ok: boolean): string {
  return ok ? 'met' : 'MISSED';
}

const when = (m: Measured) =>
  `${m.measured_at.slice(0, 16).replace('T', ' ')} UTC, load ${m.load_average.join(' / ')}`;

/** The table `pnpm bench` lists (bench/edge-sync.md). */
export function renderEdgeSyncTable(r: EdgeSyncBenchResult): string {
  const unit = r.memory.variants[0]!;
  return `# Edge sync benchmark

Generated by \`npx tsx edge/bench/sync.bench.ts\` (one part alone: \`… sync.bench.ts memory\`; the other parts are kept from \`bench/edge-sync.json\`).

- Machine: ${r.machine.cpus}, ${r.machine.cores} cores, ${r.machine.memory_gb} GiB RAM, ${r.machine.platform}; Node ${r.machine.node}. Load averages (1/5/15 min, on ${r.machine.cores} cores) are given per part: other work was running on the machine, so these figures are pessimistic.
- The cloud side is the test feed server (\`edge/src/testing/fake-cloud.ts\`, Fastify), which follows the \`@clubos/shared/sync\` schemas: in its own process for the catch-up, in the edge's process for propagation. The edge side is the real pull loop, HTTP client, validation and SQLite apply (WAL, synchronous=FULL).
- Catch-up (${when(r.catch_up)}): ${r.catch_up.changes.toLocaleString('en')} booking changes (creates and updates over 20 bays) queued while the edge was away, pulled in batches of 1,000, each applied with its cursor in one transaction. "Apply only" is the same work without HTTP (schema check, mapping, apply, cursor).
- Propagation (${when(r.propagation_ms)}): time from the cloud's commit of a booking to the row being readable in the edge's SQLite, the edge woken by the SSE change stream (pushed, not polled on a timer; long-poll is only the fallback); ${r.propagation_ms.samples} sequential samples.
${
  r.reconnect === undefined
    ? ''
    : `- Reconnect (${when(r.reconnect)}): the whole edge app on the production sync settings (backoff 500 ms doubling to 60 s, long-poll 25 s, link probe 200 ms) against the test cloud through a TCP proxy; ${r.reconnect.rounds} rounds of the line down for ${r.reconnect.outage_ms / 1000} s while the kiosk sells a walk-in (offline) and the cloud a web booking, then the line back: time from its return to the walk-in held by the cloud (up) and the web booking in the edge's replica (down). Per round, up: ${r.reconnect.up.samples.join(', ')} ms; down: ${r.reconnect.down.samples.join(', ')} ms.\n`
}- Memory (${when(r.memory)}): the edge server started as \`deploy/systemd/clubos-edge.service\` starts it (\`${unit.command}\`), synced to ${r.memory.days} days × ${r.memory.bays} bays (${unit.bookings.toLocaleString('en')} bookings), then serving the LAN; VmRSS once settled. Breakdown and alternatives below.

| measure | result | target | |
|---|---:|---|---|
| catch-up over HTTP | ${r.catch_up.changes_per_second.toLocaleString('en')} changes/s (${r.catch_up.seconds} s) | > 10,000 changes/s | ${verdict(r.catch_up.changes_per_second > 10_000)} |
| apply only (no HTTP) | ${r.apply_only.changes_per_second.toLocaleString('en')} changes/s (${r.apply_only.seconds} s) | — | |
| propagation p50 / p95 / p99 | ${r.propagation_ms.p50} / ${r.propagation_ms.p95} / ${r.propagation_ms.p99} ms | p95 < 300 ms | ${verdict(r.propagation_ms.p95 < 300)} |
${
  r.reconnect === undefined
    ? ''
    : `| reconnect, walk-in up p50 / max | ${r.reconnect.up.p50} / ${r.reconnect.up.max} ms | < ${r.reconnect.target_ms} ms | ${verdict(r.reconnect.up.max < r.reconnect.target_ms)} |
| reconnect, cloud sale down p50 / max | ${r.reconnect.down.p50} / ${r.reconnect.down.max} ms | < ${r.reconnect.target_ms} ms | ${verdict(r.reconnect.down.max < r.reconnect.target_ms)} |
`
}| edge resident memory (systemd unit as committed) | ${unit.rss_mb} MB | < ${r.memory.target_mb} MB | ${verdict(unit.rss_mb < r.memory.target_mb)} |

${renderMemorySection(r.memory)}`;
}

const RESULTS_JSON = path.join(ROOT, 'bench/edge-sync.json');

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const asked = process.argv.slice(2).filter((a) => a !== '--');
  const unknown = asked.filter((a) => !BENCH_PARTS.includes(a as BenchPart));
  if (unknown.length > 0) {
    process.stderr.write(`unknown part ${unknown.join(', ')}; parts: ${BENCH_PARTS.join(', ')}\n`);
    process.exit(2);
  }
  const previous = existsSync(RESULTS_JSON)
    ? (JSON.parse(readFileSync(RESULTS_JSON, 'utf8')) as EdgeSyncBenchResult)
    : undefined;
  runEdgeSyncBench({
    ...(asked.length === 0 ? {} : { parts: asked as BenchPart[] }),
    ...(previous === undefined ? {} : { previous }),
  }).then(
    (result) => {
      writeFileSync(RESULTS_JSON, `${JSON.stringify(result, null, 2)}\n`);
      writeFileSync(path.join(ROOT, 'bench/edge-sync.md'), renderEdgeSyncTable(result));
      process.stdout.write(renderEdgeSyncTable(result));
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}
