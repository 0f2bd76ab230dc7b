import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../cloud/src/db/client.js';
import { createFacility, type FacilityFixture, utcSlot } from '../../cloud/src/testing/facility.js';
import { createTestDatabase, type TestApp } from '../../cloud/src/testing/test-app.js';
import { type CloudCluster, startCloudCluster } from './cloud-cluster.js';

// Real processes on a real PostgreSQL behind a real HAProxy: CI has PostgreSQL at this address (as
// the cloud suites use with TEST_DATABASE_URL), and so must a developer.
process.env.TEST_DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/postgres';

const SLOTS_PER_BAY = 3;
const BAYS = 4;
const WAY = 50;

interface Health {
  status: string;
  instance: { id: string; leading: boolean };
}

async function health(url: string): Promise<Health | null> {
  try {
    return (await (await fetch(`${url}/health`)).json()) as Health;
  } catch {
    return null;
  }
}

/** Polls the survivors' /health from the kill until exactly one leads (or 15 s pass). */
async function leaderAfter(survivors: { url: string }[], killedAt: number) {
  let leaders: string[] = [];
  while (Date.now() - killedAt < 15_000) {
    const now = await Promise.all(survivors.map((s) => health(s.url)));
    leaders = now.filter((h) => h?.instance.leading).map((h) => h!.instance.id);
    if (leaders.length === 1) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { leaders, ms: Date.now() - killedAt };
}

interface Attempt {
  key: string;
  slot: string;
  status: number;
  id?: string;
  retries: number;
}

/**
 * A client that does what an app should: a request that got no answer (connection cut, 502/503
 * from the balancer) is sent again with the same Idempotency-Key.
 */
async function book(url: string, bay: string, start: string, key: string): Promise<Attempt> {
  const body = JSON.stringify({
    simulator_id: bay,
    start_time: start,
    duration: 60,
    customer: { email: `${key}@storm.test` },
  });
  for (let retries = 0; ; retries++) {
    try {
      const res = await fetch(`${url}/api/v1/bookings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body,
      });
      const json = (await res.json().catch(() => ({}))) as { id?: string };
      if (![502, 503, 504].includes(res.status) || retries >= 30)
        return { key, slot: `${bay}@${start}`, status: res.status, id: json.id, retries };
    } catch {
      if (retries >= 30) return { key, slot: `${bay}@${start}`, status: 0, retries };
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 100 + retries * 100)));
  }
}

describe('three cloud instances behind HAProxy on PostgreSQL', () => {
  let cluster: CloudCluster;
  let drop: (() => Promise<void>) | undefined;
  let databaseUrl: string;
  let f: FacilityFixture;
  let handle: DatabaseHandle | undefined;

  beforeAll(async () => {
    const created = await createTestDatabase('postgres', 'clubos_haproxy');
    databaseUrl = created.databaseUrl!;
    drop = created.drop;
    cluster = await startCloudCluster({
      databaseUrl,
      instances: 3,
      env: { RATE_LIMIT_ENABLED: 'false', LEADER_RETRY_MS: '500', LOG_LEVEL: 'error' },
    });
    handle = await openDatabase({ url: databaseUrl, poolSize: 2 });
    // The fixture only needs a database: the same rows an administrator would create.
    f = await createFacility({ app: { db: handle.db } } as unknown as TestApp, {
      bays: BAYS,
      minAdvanceHours: 0,
    });
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
    await handle?.close();
    await drop?.();
  }, 60_000);

  it('a 50-way storm per slot with the leader SIGKILLed mid-storm: no double booking, nothing acknowledged lost, retries answer the first result, the lease moves', async () => {
    const states = await Promise.all(cluster.instances.map((s) => health(s.url)));
    expect(states.filter((h) => h?.instance.leading)).toHaveLength(1);
    const victimIndex = states.findIndex((h) => h?.instance.leading);
    const victim = cluster.instances[victimIndex]!;

    const slots = f.bayIds.flatMap((bay) =>
      Array.from({ length: SLOTS_PER_BAY }, (_, h) => ({ bay, start: utcSlot(3, 8 + h) })),
    );
    const survivors = cluster.instances.filter((s) => s !== victim);
    let takeover: Promise<{ leaders: string[]; ms: number }> | undefined;
    let answered = 0;
    let killedAt = 0;
    const total = slots.length * WAY;
    // Four slots at a time, each stormed 50 ways at once.
    const attempts: Attempt[] = [];
    for (let w = 0; w < slots.length; w += 4) {
      const wave = slots.slice(w, w + 4).flatMap(({ bay, start }, k) =>
        Array.from({ length: WAY }, (_, i) =>
          book(cluster.url, bay, start, `storm-${w + k}-${i}`).then((a) => {
            answered++;
            if (killedAt === 0 && answered >= total / 4) {
              killedAt = Date.now();
              victim.child.kill('SIGKILL');
              takeover = leaderAfter(survivors, killedAt);
            }
            return a;
          }),
        ),
      );
      attempts.push(...(await Promise.all(wave)));
    }
    expect(killedAt).toBeGreaterThan(0);
    if (victim.child.signalCode === null) await once(victim.child, 'exit');
    expect(victim.child.signalCode).toBe('SIGKILL');

    // Every request got a real answer: a booking or "taken", never an error.
    const statuses = new Map<number, number>();
    for (const a of attempts) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
    expect(Object.fromEntries(statuses), 'answers by status').toEqual({
      201: slots.length,
      409: slots.length * (WAY - 1),
    });
    const acked = attempts.filter((a) => a.status === 201);
    const { rows: stored } = (await handle!.db.execute(
      // The facility id is the fixture's own uuid.
      `select id::text, simulator_id::text as bay, start_time from bookings
       where facility_id = '${f.facilityId}' and status <> 'cancelled'`,
    )) as unknown as { rows: { id: string; bay: string; start_time: Date }[] };
    // Zero double bookings: at most one booking per slot, and one per slot that was stormed.
    const perSlot = new Map<string, number>();
    for (const row of stored) {
      const slot = `${row.bay}@${new Date(row.start_time).toISOString()}`;
      perSlot.set(slot, (perSlot.get(slot) ?? 0) + 1);
    }
    expect([...perSlot.values()].every((n) => n === 1)).toBe(true);
    expect(perSlot.size).toBe(slots.length);
    // Every acknowledged booking is stored, and each slot's winner was acknowledged exactly once.
    expect(new Set(acked.map((a) => a.id))).toEqual(new Set(stored.map((r) => r.id)));
    expect(acked).toHaveLength(slots.length);

    // The same key again, straight to each surviving instance: the first answer, not a second booking.
    for (const a of acked.slice(0, 8)) {
      const [bay, start] = a.slot.split('@') as [string, string];
      for (const s of survivors) {
        const again = await book(s.url, bay, start, a.key);
        expect({ status: again.status, id: again.id }).toEqual({ status: 201, id: a.id });
      }
    }

    // The periodic-work lease moved to exactly one survivor within 10 s of the kill (watched during the storm).
    const moved = await takeover!;
    expect(moved.leaders).toHaveLength(1);
    expect(moved.ms).toBeLessThan(10_000);
    console.info(`storm: ${attempts.length} requests, lease moved ${moved.ms} ms after the SIGKILL`);
  }, 120_000);

  it('an instance that gets SIGTERM drains: /health says so, and clients through HAProxy see no error', async () => {
    const live = cluster.instances.filter((s) => s.child.exitCode === null && s.child.signalCode === null);
    const leaving = live[0]!;
    leaving.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await health(leaving.url))?.status).toBe('draining');
    const statuses: number[] = [];
    const until = Date.now() + 3_000;
    let i = 0;
    while (Date.now() < until) {
      const res = await fetch(`${cluster.url}/api/v1/site/facilities`).catch(() => null);
      statuses.push(res?.status ?? 0);
      i++;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    if (leaving.child.exitCode === null) await once(leaving.child, 'exit');
    expect(leaving.child.exitCode).toBe(0);
    expect(i).toBeGreaterThan(10);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
  }, 60_000);
});
