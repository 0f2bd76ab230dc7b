import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database.js';
import { FakeCloud } from '../testing/fake-cloud.js';
import { seedFacility } from '../testing/seed-facility.js';
import { syncHarness, tempDir } from '../testing/sync-harness.js';
import { enqueueEvent, outboxDepth } from './outbox.repository.js';
import { readSyncState } from './replica.repository.js';

/**
 * The edge process killed with SIGKILL (a real child process, no chance to clean up) in the middle
 * of applying the feed and in the middle of uploading its outbox (docs/decisions/004 and 005).
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const CHILD = path.join(here, '../testing/edge-sync-process.ts');
// Node itself with the tsx loader, not the `tsx` CLI: the CLI runs the script in a grandchild, which
// a SIGKILL to the CLI would orphan instead of killing.
const ROOT = path.resolve(here, '../../..');

let cloud: FakeCloud;
let tmp: ReturnType<typeof tempDir>;
let file: string;
let key: string;

beforeEach(async () => {
  cloud = new FakeCloud();
  await cloud.listen();
  tmp = tempDir();
  file = path.join(tmp.dir, 'edge.sqlite');
  key = cloud.issueKey();
});
afterEach(async () => {
  await cloud.close();
  tmp.cleanup();
});

function runChild(
  mode: 'pull' | 'upload',
  batch: number,
  onLine?: (line: Record<string, number>, child: ChildProcess) => void,
  onSpawn?: (child: ChildProcess) => void,
) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CHILD, mode, file, cloud.url, key, String(batch)],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  onSpawn?.(child);
  let buffer = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl = buffer.indexOf('\n');
    while (nl >= 0) {
      onLine?.(JSON.parse(buffer.slice(0, nl)) as Record<string, number>, child);
      buffer = buffer.slice(nl + 1);
      nl = buffer.indexOf('\n');
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
}

/** The booking rows the cloud had at feed position `seq` (replaying its log), as the edge stores them. */
function cloudBookingsAt(seq: number): Map<string, string> {
  const state = new Map<string, string>();
  for (const change of cloud.log) {
    if (change.seq > seq || change.entity !== 'booking') continue;
    if (change.op === 'delete') state.delete(change.entity_id);
    else state.set(change.entity_id, String(change.data?.status));
  }
  return state;
}

function edgeBookings(): Map<string, string> {
  const db = openDatabase(file);
  const rows = db.sqlite.prepare('SELECT id, status FROM bookings').all() as { id: string; status: string }[];
  db.close();
  return new Map(rows.map((r) => [r.id, r.status]));
}

function edgeState() {
  const db = openDatabase(file);
  const state = readSyncState(db.db);
  const depth = outboxDepth(db.db);
  db.close();
  return { ...state!, ...depth };
}

describe('SIGKILL mid-apply', () => {
  it('after restart no change is lost or applied twice', { timeout: 120_000 }, async () => {
    const { bayIds } = seedFacility(cloud, { bays: 2 });
    const boot = syncHarness({ file, cloudUrl: cloud.url, edgeKey: key });
    await boot.pull.pullOnce();
    await boot.close();
    const snapshotSeq = cloud.head;

    // A backlog of 6,000 changes: bookings created, then rewritten, some cancelled.
    const ids = Array.from({ length: 1500 }, () => randomUUID());
    const start = Date.now() + 86_400_000;
    for (const [i, id] of ids.entries()) {
      cloud.put('booking', id, {
        facility_id: cloud.facilityId,
        simulator_id: bayIds[i % 2],
        reference_code: id.slice(0, 6),
        start_time: new Date(start + i * 3_600_000).toISOString(),
        end_time: new Date(start + i * 3_600_000 + 3_000_000).toISOString(),
        duration: 50,
        status: 'pending',
        price_cents: 4000,
      });
    }
    for (const status of ['confirmed', 'checked_in', 'cancelled']) {
      for (const id of ids) cloud.put('booking', id, { ...cloud.get('booking', id)!, status });
    }

    // Kill it three times, a few milliseconds after the cloud answered a batch: while the child
    // parses, applies or commits it. Then let it finish.
    let served = 0;
    let current: ChildProcess | null = null;
    for (const killAtBatch of [2, 3, 2]) {
      served = 0;
      cloud.onChangesServed = () => {
        served++;
        const child = current;
        if (served === killAtBatch && child !== null)
          setTimeout(() => child.kill('SIGKILL'), Math.random() * 40);
      };
      const exit = await runChild('pull', 500, undefined, (child) => {
        current = child;
      });
      expect(exit.signal).toBe('SIGKILL');
      const state = edgeState();
      expect(state.cursor).toBeLessThan(cloud.head);
      // Atomic: the replica is exactly the cloud's state at the stored cursor, never a partial batch.
      expect(edgeBookings()).toEqual(cloudBookingsAt(state.cursor));
      expect(state.changes_applied).toBe(state.cursor - snapshotSeq);
    }
    cloud.onChangesServed = null;
    const done = await runChild('pull', 500);
    expect(done).toMatchObject({ code: 0 });
    const final = edgeState();
    expect(final.cursor).toBe(cloud.head);
    // Each change counted once: nothing re-applied after a restart.
    expect(final.changes_applied).toBe(cloud.head - snapshotSeq);
    expect(edgeBookings()).toEqual(cloudBookingsAt(cloud.head));
  });
});

describe('SIGKILL mid-upload', () => {
  it('after restart no event is lost or accepted twice by the cloud', { timeout: 120_000 }, async () => {
    seedFacility(cloud, { bays: 1 });
    const boot = syncHarness({ file, cloudUrl: cloud.url, edgeKey: key });
    await boot.pull.pullOnce();
    const ids: string[] = [];
    boot.database.immediate(() => {
      for (let i = 0; i < 2000; i++) {
        const id = randomUUID();
        ids.push(id);
        enqueueEvent(boot.database.db, {
          event_id: id,
          type: 'door.decision',
          occurred_at: Date.now(),
          payload: {
            door_id: 'front',
            decision: 'granted',
            reason: 'valid',
            booking_id: null,
            credential: 'pin',
          },
        });
      }
    });
    await boot.close();

    // Kill the edge right after the cloud stored a batch and before the edge hears the answer:
    // the one window where an event is in the cloud but still in the edge's outbox.
    let killed = 0;
    let current: ChildProcess | null = null;
    cloud.ackDelayMs = 100;
    cloud.onEventsStored = () => {
      if (current !== null && cloud.acceptedEvents.size >= 500 * (killed + 1) && killed < 2) {
        killed++;
        current.kill('SIGKILL');
        current = null;
      }
    };
    for (let round = 0; round < 2; round++) {
      const exit = await runChild('upload', 100, undefined, (child) => {
        current = child;
      });
      expect(exit, exit.stderr).toMatchObject({ signal: 'SIGKILL' });
    }
    cloud.onEventsStored = null;
    cloud.ackDelayMs = 0;
    const done = await runChild('upload', 100);
    expect(done).toMatchObject({ code: 0 });

    expect(edgeState()).toMatchObject({ pending: 0, rejected: 0 });
    expect(cloud.acceptedEvents.size).toBe(ids.length);
    expect(new Set(cloud.acceptedEvents.keys())).toEqual(new Set(ids));
    expect([...cloud.acceptedEvents.values()].every((n) => n === 1)).toBe(true);
    // The crash window was really hit: the re-sent batches were answered `duplicate`.
    expect(cloud.duplicateAnswers).toBeGreaterThanOrEqual(100);
  });
});
