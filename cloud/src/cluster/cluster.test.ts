import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { MIGRATIONS_FOLDER, openDatabase } from '../db/client.js';
import { bookAsGuest, createFacility, type FacilityFixture, utcSlot } from '../testing/facility.js';
import { type OpenStream, openStream, until } from '../testing/sse-stream.js';
import { createTestApp, createTestDatabase, type TestApp, testDatabases } from '../testing/test-app.js';
import { LEADER_LOCK_KEY, LeaderLease } from './leader-lease.js';
import { PeriodicWork } from './periodic-work.js';

const LEASE_CHILD = join(import.meta.dirname, '../testing/lease-holder.child.ts');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('periodic work', () => {
  it('runs a pass only while this instance holds the lease, never two passes of a job at once', async () => {
    const lease = { held: false } as LeaderLease;
    const work = new PeriodicWork(lease, () => {});
    let passes = 0;
    let release: () => void = () => {};
    const job = work.every('test', 60_000, async () => {
      passes++;
      await new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    await job.tick();
    expect(passes).toBe(0);
    (lease as { held: boolean }).held = true;
    const first = job.tick();
    const second = job.tick();
    release();
    await Promise.all([first, second]);
    expect(passes).toBe(1);
    expect(work.runs()).toEqual({ test: 1 });
    await job.stop();
  });

  it('reports a failed pass and runs the next one', async () => {
    const errors: string[] = [];
    const work = new PeriodicWork({ held: true } as LeaderLease, (name, error) =>
      errors.push(`${name}: ${(error as Error).message}`),
    );
    let calls = 0;
    const job = work.every('flaky', 60_000, async () => {
      calls++;
      if (calls === 1) throw new Error('boom');
    });
    await job.tick();
    await job.tick();
    expect(errors).toEqual(['flaky: boom']);
    expect(calls).toBe(2);
    await job.stop();
  });

  it('on embedded PGlite (one process) the instance always leads', () => {
    expect(new LeaderLease({ url: undefined, instanceId: 'solo' }).held).toBe(true);
  });
});

// Several instances need one shared server: PostgreSQL only (PGlite is in-process). In this file so a
// run without TEST_DATABASE_URL still finds the suite above.
describe.each(testDatabases().filter((k) => k === 'postgres'))('several instances on %s', (kind) => {
  let url: string;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const created = await createTestDatabase(kind, 'clubos_cluster');
    url = created.databaseUrl!;
    drop = created.drop;
  });
  afterAll(async () => drop?.());

  it('three instances starting together migrate once, and all open', async () => {
    const handles = await Promise.all([1, 2, 3].map(() => openDatabase({ url })));
    try {
      const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8'));
      const { rows } = (await handles[0]!.db.execute(
        sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
      )) as unknown as { rows: { n: number }[] };
      expect(rows[0]!.n).toBe(journal.entries.length);
    } finally {
      await Promise.all(handles.map((h) => h.close()));
    }
  }, 120_000);

  it('while a leader in another process lives the three others wait; killed -9, exactly one of them leads within 10 s', async () => {
    // The leader runs in its own process so it can be killed as a crash kills it: the kernel closes
    // its socket and PostgreSQL drops the lock with its session.
    const child = spawn(process.execPath, ['--import', 'tsx', LEASE_CHILD], {
      env: { ...process.env, LEASE_CHILD_DB: url, LEASE_CHILD_ID: 'doomed' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const leases = ['a', 'b', 'c'].map((id) => new LeaderLease({ url, instanceId: id, retryMs: 500 }));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('held') && resolve());
        child.on('exit', (code) => reject(new Error(`lease child exited with ${code}`)));
      });
      await Promise.all(leases.map((l) => l.start()));
      await sleep(1_500);
      expect(leases.filter((l) => l.held)).toEqual([]);
      const started = Date.now();
      child.kill('SIGKILL');
      expect(await until(() => leases.filter((l) => l.held).length === 1, 10_000)).toBe(true);
      expect(Date.now() - started).toBeLessThan(10_000);
      await sleep(1_200);
      expect(leases.filter((l) => l.held)).toHaveLength(1);
    } finally {
      child.kill('SIGKILL');
      await Promise.all(leases.map((l) => l.stop()));
    }
  }, 40_000);

  it('a lock holder shows in pg_locks under its instance name, and stopping releases it at once', async () => {
    const lease = new LeaderLease({ url, instanceId: 'shown', retryMs: 500 });
    await lease.start();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const holder = async () =>
      (
        await admin.query(
          `select a.application_name from pg_locks l join pg_stat_activity a using (pid)
           where l.locktype = 'advisory' and ((l.classid::bigint << 32) | l.objid::bigint) = $1
             and l.database = (select oid from pg_database where datname = current_database())`,
          [LEADER_LOCK_KEY.toString()],
        )
      ).rows.map((r) => r.application_name);
    try {
      expect(lease.held).toBe(true);
      expect(await holder()).toEqual(['clubos:shown']);
      await lease.stop();
      expect(await holder()).toEqual([]);
    } finally {
      await admin.end();
      await lease.stop();
    }
  }, 30_000);
});

describe.each(testDatabases().filter((k) => k === 'postgres'))('two app instances on %s', (kind) => {
  let a: TestApp;
  let b: FastifyInstance;
  let f: FacilityFixture;
  const streams: OpenStream[] = [];
  beforeAll(async () => {
    // The fallback poll is a minute: only the cross-instance notification can be fast.
    const cluster = { instanceId: 'app-a', leaderRetryMs: 500, drainMs: 0, livePollMs: 60_000 };
    const rateLimit = { enabled: true, loginPerMinute: 3, bookingsPerMinute: 1_000 };
    a = await createTestApp(kind, { cluster, rateLimit });
    b = await buildApp({ config: { ...a.config, cluster: { ...cluster, instanceId: 'app-b' } } });
    f = await createFacility(a, { bays: 1, minAdvanceHours: 0 });
  }, 120_000);
  afterAll(async () => {
    for (const s of streams) s.close();
    await b?.close();
    await a?.close();
  });

  it('an edge stream held by instance B sees a booking made on instance A within 300 ms', async () => {
    const { key } = await a.app.services.edgeFeed.register(f.facilityId, 'edge PC');
    const base = await b.listen({ port: 0, host: '127.0.0.1' });
    const stream = await openStream(`${base}/api/v1/edge/changes/stream`, `Edge ${key}`);
    streams.push(stream);
    expect(stream.status).toBe(200);
    expect(await until(() => stream.heads.length === 1)).toBe(true);
    await sleep(200);
    const before = stream.heads.length;
    const res = await bookAsGuest(a, f.bayIds[0], utcSlot(2, 10), 'cross@x.co');
    const answered = performance.now();
    expect(res.statusCode, res.body).toBe(201);
    expect(await until(() => stream.heads.length > before, 2_000)).toBe(true);
    expect(performance.now() - answered).toBeLessThan(300);
    const head = (await a.app.services.changeLog.cursor(f.facilityId)).lastSeq;
    expect(stream.heads.at(-1)).toBe(head);
  }, 30_000);

  it('a rate limit holds across instances: the fourth try in a minute is refused on either', async () => {
    const payload = { refresh_token: 'not-a-real-refresh-token' };
    const codes: number[] = [];
    for (const app of [a.app, b, a.app, b, a.app]) {
      codes.push((await app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload })).statusCode);
    }
    expect(codes).toEqual([401, 401, 401, 429, 429]);
  });

  it('wrong guesses of a booking code add up across instances and lock it on both', async () => {
    const res = await bookAsGuest(a, f.bayIds[0], utcSlot(2, 12), 'guess@x.co');
    expect(res.statusCode, res.body).toBe(201);
    const code = res.json().reference_code as string;
    // Six clients (each under its own per-IP limit) sharing the guessing over two instances.
    const lookup = (app: FastifyInstance, i: number) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/bookings/lookup',
        remoteAddress: `10.0.0.${i + 1}`,
        payload: { reference_code: code, pin: '000000' },
      });
    const codes: number[] = [];
    for (const [i, app] of [a.app, b, a.app, b, a.app, b].entries())
      codes.push((await lookup(app, i)).statusCode);
    expect(codes.slice(0, 5).every((c) => c === 404)).toBe(true);
    expect(codes[5]).toBe(429);
  });

  it('exactly one of the two runs the periodic work', async () => {
    await until(() => a.app.services.leaderLease.held !== b.services.leaderLease.held, 5_000);
    expect([a.app.services.periodicWork.leading, b.services.periodicWork.leading].sort()).toEqual([
      false,
      true,
    ]);
  });
});
