import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateBookingCode } from '@clubos/shared/credentials';
import { FakeCloud } from '../src/testing/fake-cloud.js';
import { seedFacility } from '../src/testing/seed-facility.js';
import { tempDir } from '../src/testing/sync-harness.js';
import { COMPILED_ARGS, type EdgeStart, ensureBuilt, MALLOC_ENV, ROOT, unitStart } from './edge-start.js';

/**
 * The edge's resident memory as it runs at a venue: the real server entry in its own process, started
 * the way systemd starts it, synced to 30 days × 20 bays of schedule, then serving the LAN (kiosk
 * availability and lookups, the console's board, schedule and events stream). VmRSS is sampled from
 * outside after the process settles; the preloaded `memory-probe.mjs` adds the breakdown (V8 heap,
 * external memory, file-backed pages such as the node binary's code).
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const HOUR = 3_600_000;
const PROBE = path.join(here, 'memory-probe.mjs');

export interface MemorySample {
  rss_mb: number;
  heap_total_mb: number;
  heap_used_mb: number;
  external_mb: number;
  array_buffers_mb: number;
  malloced_mb: number;
  native_contexts: number;
  heap_spaces_used_mb: Record<string, number>;
  smaps: Record<string, number>;
  status: Record<string, number>;
}

/** As the process stands, and after a full GC (live memory, without uncollected garbage). */
export interface MemoryBreakdown extends MemorySample {
  after_gc: MemorySample;
}

export interface EdgeMemoryResult {
  start: string;
  command: string;
  /** The environment the start adds (e.g. the unit's `Environment=` lines). */
  env: Record<string, string>;
  bays: number;
  days: number;
  bookings: number;
  lan_requests: number;
  /**
   * VmRSS after settling (the median of the last samples): V8's memory reducer shrinks the heap once
   * the process is idle for ~30-40 s, so the default settle is 60 s.
   */
  rss_mb: number;
  /** VmRSS 5 s after the LAN traffic, before the memory reducer. */
  rss_5s_mb: number;
  rss_peak_mb: number;
  /** VmRSS every half second while settling. */
  rss_samples: number[];
  breakdown: MemoryBreakdown;
  target_mb: number;
}

/** Every start measured, as bench/edge-sync.md lists them. */
export interface EdgeMemorySection {
  measured_at: string;
  load_average: number[];
  bays: number;
  days: number;
  target_mb: number;
  /** The first is the systemd unit as committed: the figure the target is judged on. */
  variants: EdgeMemoryResult[];
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round((kb / 1024) * 10) / 10;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves with the server's URL from its pino "Server listening at" line; keeps draining stdout. */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    let found = false;
    child.stdout?.on('data', (chunk: Buffer) => {
      if (found) return;
      buffer += chunk.toString();
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(buffer);
      if (match) {
        found = true;
        resolve(match[1]!);
      }
      buffer = buffer.slice(-500);
    });
    child.once('exit', (code) => {
      if (!found) reject(new Error(`edge server exited before listening (${code})`));
    });
  });
}

async function call(base: string, method: string, url: string, token: string | null, body?: unknown) {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text.slice(0, 200)}`);
  return text === '' ? null : (JSON.parse(text) as Record<string, unknown>);
}

/** The console's events stream, held open while memory is measured (as a staff PC would). */
function openEvents(base: string, token: string): Promise<http.ClientRequest> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${base}/api/v1/console/events?token=${encodeURIComponent(token)}`, (res) => {
      if (res.statusCode !== 200) reject(new Error(`console events: ${res.statusCode}`));
      res.on('data', () => {});
      res.on('error', () => {});
      resolve(request);
    });
    request.on('error', () => {});
  });
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export interface EdgeMemoryOptions {
  start?: EdgeStart;
  days?: number;
  bays?: number;
  /** Rounds of LAN traffic after catch-up (each: availability, lookup, schedule, board, status). */
  rounds?: number;
  /** Seconds to let the process settle before sampling. */
  settleSeconds?: number;
  /** Extra node flags before the start's own arguments (e.g. `--max-semi-space-size=1`). */
  nodeFlags?: string[];
}

export async function measureEdgeMemory(options: EdgeMemoryOptions = {}): Promise<EdgeMemoryResult> {
  const start = options.start ?? unitStart();
  ensureBuilt(start);
  const days = options.days ?? 30;
  const bays = options.bays ?? 20;
  const rounds = options.rounds ?? 100;
  const cloud = new FakeCloud();
  await cloud.listen();
  const tmp = tempDir('edge-memory-');
  let child: ChildProcess | null = null;
  let events: http.ClientRequest | null = null;
  try {
    const { bayIds } = seedFacility(cloud, { bays });
    const dayStart = Math.floor(Date.now() / HOUR) * HOUR;
    const codes: string[] = [];
    for (let d = 0; d < days; d++) {
      for (const bay of bayIds) {
        // Ten one-hour sessions a day per bay, a busy venue.
        for (let s = 0; s < 10; s++) {
          const begins = dayStart + d * 24 * HOUR + (s + 10) * HOUR;
          const code = generateBookingCode();
          codes.push(code);
          cloud.put('booking', randomUUID(), {
            facility_id: cloud.facilityId,
            simulator_id: bay,
            reference_code: code,
            start_time: new Date(begins).toISOString(),
            end_time: new Date(begins + HOUR).toISOString(),
            duration: 60,
            status: 'confirmed',
            price: '40.00',
            price_cents: 4000,
          });
        }
      }
    }
    const probeFile = path.join(tmp.dir, 'probe.json');
    const args = [...(options.nodeFlags ?? []), '--import', PROBE, ...start.args];
    child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: {
        ...process.env,
        ...start.env,
        EDGE_DATA_DIR: tmp.dir,
        CLOUD_URL: cloud.url,
        EDGE_KEY: cloud.issueKey(),
        PORT: '0',
        MQTT_PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        EDGE_STAFF_USERNAME: 'bench',
        EDGE_STAFF_PASSWORD: 'bench-password',
        MEMORY_PROBE_FILE: probeFile,
      },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const base = await listeningUrl(child);
    const { token } = (await call(base, 'POST', '/api/v1/auth/login', null, {
      username: 'bench',
      password: 'bench-password',
    })) as { token: string };
    const until = Date.now() + 120_000;
    for (;;) {
      const status = await call(base, 'GET', '/api/v1/sync/status', token);
      if (status?.cursor === cloud.head) break;
      if (Date.now() > until) throw new Error('edge server did not catch up in 120 s');
      await sleep(200);
    }
    events = await openEvents(base, token);
    let requests = 2;
    for (let i = 0; i < rounds; i++) {
      const day = isoDate(dayStart + (i % days) * 24 * HOUR);
      await call(base, 'GET', `/api/v1/availability?duration=60&date=${day}`, token);
      await call(base, 'GET', `/api/v1/bookings/lookup?code=${codes[(i * 37) % codes.length]}`, token);
      await call(base, 'GET', '/api/v1/schedule/today', token);
      await call(base, 'GET', '/api/v1/console/board', token);
      await call(base, 'GET', '/api/v1/sync/status', token);
      requests += 5;
    }

    const samples: number[] = [];
    const settle = options.settleSeconds ?? 60;
    for (let i = 0; i < settle * 2; i++) {
      await sleep(500);
      samples.push(rssMb(child.pid!));
    }
    const last = samples.slice(-5).sort((a, b) => a - b);
    child.kill('SIGUSR2');
    let breakdown: MemoryBreakdown | null = null;
    for (let i = 0; i < 50 && breakdown === null; i++) {
      await sleep(100);
      try {
        breakdown = JSON.parse(readFileSync(probeFile, 'utf8')) as MemoryBreakdown;
      } catch {
        breakdown = null;
      }
    }
    if (breakdown === null) throw new Error('the memory probe did not answer');
    return {
      start: start.label,
      command: `node ${[...(options.nodeFlags ?? []), ...start.args].join(' ')}`,
      env: start.env,
      bays,
      days,
      bookings: codes.length,
      lan_requests: requests,
      rss_mb: last[Math.floor(last.length / 2)]!,
      rss_5s_mb: samples[Math.min(samples.length, 10) - 1]!,
      rss_peak_mb: Math.max(...samples),
      rss_samples: samples,
      breakdown,
      target_mb: 150,
    };
  } finally {
    events?.destroy();
    child?.kill('SIGTERM');
    await cloud.close();
    tmp.cleanup();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // Exploration, e.g. `npx tsx edge/bench/edge-memory.ts compiled settle=10 --max-semi-space-size=2`;
  // `pnpm bench` runs the variants in sync.bench.ts.
  const argv = process.argv.slice(2);
  const rounds = argv.find((a) => a.startsWith('rounds='));
  const settle = argv.find((a) => a.startsWith('settle='));
  const compiled = argv.includes('compiled');
  const flags = argv.filter((a) => a !== rounds && a !== settle && a !== 'compiled');
  measureEdgeMemory({
    nodeFlags: flags,
    ...(compiled
      ? { start: { label: 'compiled', args: COMPILED_ARGS, env: { NODE_ENV: 'production', ...MALLOC_ENV } } }
      : {}),
    ...(settle === undefined ? {} : { settleSeconds: Number(settle.slice(7)) }),
    ...(rounds === undefined ? {} : { rounds: Number(rounds.slice(7)) }),
  }).then(
    (r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}
