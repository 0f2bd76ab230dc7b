import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { testConfig } from '../src/config.js';
import {
  type BenchFacility,
  distinctBookings,
  scratchDatabase,
  seedBenchFacility,
} from './bench-facility.js';

/**
 * Load-independent figures for the booking write and the availability read on PostgreSQL: SQL
 * statements (round trips) per request and server CPU ms per request, measured on sequential
 * `inject` calls (no HTTP client in the process to share the CPU with). The statement texts are
 * tallied so a new round trip shows up by name. Run with `node --cpu-prof --import tsx` for a
 * profile of the same work.
 */
export interface RequestCost {
  requests: number;
  queriesPerRequest: number;
  cpuMsPerRequest: number;
  /** Of `cpuMsPerRequest`, the kernel's share (socket writes and wake-ups: round trips). */
  systemCpuMsPerRequest: number;
  /** PostgreSQL backends' CPU per request (null: not measurable here). 10 ms resolution in total. */
  databaseCpuMsPerRequest: number | null;
  wallMsPerRequest: number;
  /** Requests in flight at once (1: sequential). */
  concurrency: number;
  statements: Record<string, number>;
  /** PostgreSQL CPU ms per request by statement (only with PROFILE_STATEMENT_CPU=1). */
  statementCpuMs?: Record<string, number>;
}

const statements = new Map<string, number>();
/** PostgreSQL CPU ms per statement text (PROFILE_STATEMENT_CPU=1; costs a /proc read per query). */
const statementCpu = new Map<string, number>();
const perStatementCpu = process.env.PROFILE_STATEMENT_CPU === '1';
/** Statement text → its short key: the texts are long, and normalising each call costs CPU too. */
const keys = new Map<string, string>();
let counting = false;
const originalQuery = pg.Client.prototype.query;

function keyOf(first: unknown): string {
  const text = typeof first === 'string' ? first : ((first as { text?: string } | null)?.text ?? '?');
  let key = keys.get(text);
  if (key === undefined) {
    key = text.replace(/\s+/g, ' ').trim().slice(0, 90);
    keys.set(text, key);
  }
  return key;
}

/** CPU ms (utime + stime) of one backend process; undefined off this machine. */
function backendCpuMs(pid: number | null | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    // Fields after the command name: state is [0], utime [11], stime [12] (clock ticks, 100/s).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const call = () => (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
  if (!counting) return call();
  const key = keyOf(args[0]);
  statements.set(key, (statements.get(key) ?? 0) + 1);
  const pid = (this as unknown as { processID?: number | null }).processID;
  const before = perStatementCpu ? backendCpuMs(pid) : undefined;
  if (before === undefined) return call();
  const charge = () => {
    const after = backendCpuMs(pid);
    if (after !== undefined) statementCpu.set(key, (statementCpu.get(key) ?? 0) + after - before);
  };
  // pg-pool passes a callback; drizzle on a bare client awaits the promise.
  const last = args.length - 1;
  const callback = args[last];
  if (typeof callback === 'function') {
    args[last] = (...results: unknown[]) => {
      charge();
      return (callback as (...r: unknown[]) => unknown)(...results);
    };
    return call();
  }
  const result = call();
  return result instanceof Promise ? result.finally(charge) : result;
} as typeof pg.Client.prototype.query;

/**
 * CPU ms (utime + stime, from /proc) of each PostgreSQL backend serving this database, by pid.
 * Per backend, because the pool closes idle connections: a sum over "the backends now" would lose
 * a closed one's whole history and could even come out negative.
 */
async function databaseCpuMs(app: FastifyInstance): Promise<Map<number, number> | undefined> {
  if (app.dbKind !== 'postgres') return undefined;
  const result = (await app.db.execute(
    sql`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`,
  )) as unknown as { rows: { pid: number }[] };
  const byPid = new Map<number, number>();
  for (const { pid } of result.rows) {
    const used = backendCpuMs(pid);
    if (used === undefined) return undefined; // not on this machine (a remote server) or not Linux
    byPid.set(pid, used);
  }
  return byPid;
}

/** CPU used between two readings: backends alive at the end (a new one counts from its start). */
function databaseCpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let ms = 0;
  for (const [pid, used] of after) ms += used - (before.get(pid) ?? 0);
  return ms;
}

async function measure(
  app: FastifyInstance,
  requests: number,
  one: (i: number) => Promise<void>,
  concurrency = 1,
): Promise<RequestCost> {
  const dbBefore = await databaseCpuMs(app);
  statements.clear();
  statementCpu.clear();
  counting = true;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  let issued = 0;
  const worker = async () => {
    while (issued < requests) await one(issued++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  const used = process.cpuUsage(cpu);
  counting = false;
  const dbAfter = await databaseCpuMs(app);
  const total = [...statements.values()].reduce((a, b) => a + b, 0);
  return {
    requests,
    databaseCpuMsPerRequest:
      dbBefore === undefined || dbAfter === undefined
        ? null
        : Math.round((databaseCpuBetween(dbBefore, dbAfter) / requests) * 100) / 100,
    queriesPerRequest: Math.round((total / requests) * 100) / 100,
    cpuMsPerRequest: Math.round(((used.user + used.system) / 1000 / requests) * 100) / 100,
    systemCpuMsPerRequest: Math.round((used.system / 1000 / requests) * 100) / 100,
    wallMsPerRequest: Math.round((wall / requests) * 100) / 100,
    concurrency,
    statements: Object.fromEntries(
      [...statements].map(([k, v]) => [k, Math.round((v / requests) * 100) / 100]),
    ),
    ...(perStatementCpu
      ? {
          statementCpuMs: Object.fromEntries(
            [...statementCpu].map(([k, v]) => [k, Math.round((v / requests) * 100) / 100]),
          ),
        }
      : {}),
  };
}

export async function profileCosts(app: FastifyInstance, f: BenchFacility, requests = 300) {
  const next = distinctBookings(f, 'profile');
  const book = async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/bookings',
      headers: { 'content-type': 'application/json' },
      payload: next(),
    });
    if (res.statusCode !== 201) throw new Error(`booking answered ${res.statusCode}: ${res.body}`);
  };
  const day = new Date(f.firstDay + 86_400_000).toISOString().slice(0, 10);
  const url = `/api/v1/availability?facility_id=${f.facilityId}&date=${day}&duration=60`;
  const look = async () => {
    const res = await app.inject({ method: 'GET', url });
    if (res.statusCode !== 200) throw new Error(`availability answered ${res.statusCode}: ${res.body}`);
  };
  // A taken slot: the 409 with the nearest alternatives (the contention scenario's usual answer).
  const taken = next();
  const refuse = async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/bookings',
      headers: { 'content-type': 'application/json' },
      payload: taken,
    });
    if (res.statusCode !== 409 && res.statusCode !== 201)
      throw new Error(`taken slot answered ${res.statusCode}`);
  };
  // PROFILE_ONLY=booking|booking-parallel|availability|conflict narrows a --cpu-prof run to one path.
  const only = process.env.PROFILE_ONLY;
  const wanted = (name: string) => only === undefined || only === name;
  await measure(app, 100, book); // warm-up: JIT, pool, plan cache
  await measure(app, 50, look);
  await measure(app, 20, refuse);
  const booking = wanted('booking') ? await measure(app, requests, book) : undefined;
  // The same bookings 16 at a time, as a loaded server sees them: work that concurrent requests
  // share (one write statement for several bookings) shows up here and not in the sequential row.
  const bookingParallel = wanted('booking-parallel') ? await measure(app, requests, book, 16) : undefined;
  const availability = wanted('availability') ? await measure(app, requests, look) : undefined;
  const conflict = wanted('conflict') ? await measure(app, Math.ceil(requests / 3), refuse) : undefined;
  return { booking, bookingParallel, availability, conflict };
}

async function main(): Promise<void> {
  const scratch = await scratchDatabase();
  if (!scratch) throw new Error('set TEST_DATABASE_URL: the profile measures PostgreSQL round trips');
  const app = await buildApp({ config: testConfig({ databaseUrl: scratch.url, logLevel: 'silent' }) });
  try {
    const facility = await seedBenchFacility(app);
    const costs = await profileCosts(app, facility, Number(process.env.PROFILE_REQUESTS ?? 300));
    console.log(JSON.stringify(costs, null, 2));
  } finally {
    await app.close();
    await scratch.drop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
