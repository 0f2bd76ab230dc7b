import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  age,
  appendEntries,
  DAY_MS,
  entityIdsOf,
  range,
  recordingLog,
  seqsOf,
} from '../testing/change-log.js';
import { createFacility, type FacilityFixture } from '../testing/facility.js';
import { createTestApp, type TestApp, testDatabases } from '../testing/test-app.js';
import { ChangeLogCompactionTimer, ChangeLogCompactor } from './change-log.compaction.js';

describe.each(testDatabases())('change-log compaction on %s', (kind) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(kind);
  }, 120_000);
  afterAll(async () => t?.close());

  const compactor = (batchSize = 5_000, log = recordingLog().log) =>
    new ChangeLogCompactor(t.app.db, log, { retentionMs: 7 * DAY_MS, batchSize });
  const head = async (f: FacilityFixture) => (await t.app.services.changeLog.cursor(f.facilityId)).lastSeq;
  const mark = async (f: FacilityFixture) =>
    (await t.app.services.changeLog.cursor(f.facilityId)).compactedThrough;

  it('removes only the prefix older than the retention and records it as the low-water mark', async () => {
    const f = await createFacility(t, { name: 'Prefix' });
    const quiet = await createFacility(t, { name: 'Quiet' });
    const base = await head(f);
    await appendEntries(t, f.facilityId, 10);
    await appendEntries(t, quiet.facilityId, 3);
    // base+1…base+4 old, base+5 young, base+6 old again (a long transaction), the rest young.
    await age(t, f.facilityId, [...range(1, base + 4), base + 6], 8);
    const quietSeqs = await seqsOf(t, quiet.facilityId);

    const [moved, ...others] = await compactor().runOnce();
    expect(others).toEqual([]);
    expect(moved).toMatchObject({ facilityId: f.facilityId, from: 0, through: base + 4, removed: base + 4 });
    expect(await seqsOf(t, f.facilityId)).toEqual(range(base + 5, base + 10));
    expect(await mark(f)).toBe(base + 4);
    expect(await seqsOf(t, quiet.facilityId)).toEqual(quietSeqs);
    expect(await mark(quiet)).toBe(0);

    // Nothing new is old enough: a second pass changes nothing.
    expect(await compactor().runOnce()).toEqual([]);
    // Once the younger entry ages, the old one after it goes with it; the young tail stays.
    await age(t, f.facilityId, [base + 5], 8);
    const [next] = await compactor().runOnce();
    expect(next).toMatchObject({ from: base + 4, through: base + 6, removed: 2 });
    expect(await seqsOf(t, f.facilityId)).toEqual(range(base + 7, base + 10));
  });

  it('compacts a log that is entirely old up to its head, and the head keeps counting', async () => {
    const f = await createFacility(t, { name: 'All old' });
    await appendEntries(t, f.facilityId, 4);
    const top = await head(f);
    await age(t, f.facilityId, range(1, top), 30);
    await compactor().runOnce();
    expect(await seqsOf(t, f.facilityId)).toEqual([]);
    expect(await mark(f)).toBe(top);
    await appendEntries(t, f.facilityId, 2);
    expect(await seqsOf(t, f.facilityId)).toEqual([top + 1, top + 2]);
  });

  it('deletes in batches, one transaction each, logging progress', async () => {
    const f = await createFacility(t, { name: 'Batches' });
    await appendEntries(t, f.facilityId, 10);
    const top = await head(f);
    await age(t, f.facilityId, range(1, top), 8);
    const { log, messages } = recordingLog();
    const [moved] = await compactor(3, log).runOnce();
    const batches = Math.ceil(top / 3);
    expect(moved).toMatchObject({ through: top, removed: top, batches });
    const progress = messages.filter((m) => m.msg === 'change log compaction: batch committed');
    expect(progress.map((m) => (m.obj as { compactedThrough: number }).compactedThrough)).toEqual(
      range(1, batches).map((i) => Math.min(top, i * 3)),
    );
    expect(messages.at(-1)).toMatchObject({ msg: 'change log compaction finished' });
  });

  it('runs safely while writers append: no append lost, the log above the mark stays gap-free', async () => {
    const f = await createFacility(t, { name: 'Concurrent' });
    await appendEntries(t, f.facilityId, 40);
    const old = await head(f);
    await age(t, f.facilityId, range(1, old), 8);
    const appended: string[] = [];
    const writers = (async () => {
      for (let i = 0; i < 25; i++) appended.push(...(await appendEntries(t, f.facilityId, 2)));
    })();
    const [[moved]] = await Promise.all([compactor(4).runOnce(), writers]);
    expect(moved).toMatchObject({ facilityId: f.facilityId, through: old });
    expect(await mark(f)).toBe(old);
    const top = await head(f);
    expect(top).toBe(old + 50);
    expect(await seqsOf(t, f.facilityId)).toEqual(range(old + 1, top));
    const kept = await entityIdsOf(t, f.facilityId);
    expect(appended.filter((id) => !kept.has(id))).toEqual([]);
  });

  it('never moves the mark back when two compactors race', async () => {
    const f = await createFacility(t, { name: 'Two compactors' });
    await appendEntries(t, f.facilityId, 12);
    const top = await head(f);
    await age(t, f.facilityId, range(1, top), 8);
    await Promise.all([compactor(2).runOnce(), compactor(5).runOnce()]);
    expect(await mark(f)).toBe(top);
    expect(await seqsOf(t, f.facilityId)).toEqual([]);
  });

  it('the timer runs passes one at a time and logs a failed pass instead of throwing', async () => {
    const { log, messages } = recordingLog();
    let calls = 0;
    let release: () => void = () => undefined;
    const slow = {
      runOnce: () => {
        calls += 1;
        if (calls === 1) return new Promise<never[]>((resolve) => (release = () => resolve([])));
        return Promise.reject(new Error('database away'));
      },
    } as unknown as ChangeLogCompactor;
    const timer = new ChangeLogCompactionTimer(slow, 60_000, log);
    const first = timer.tick();
    expect(timer.tick()).toBe(first); // a pass in progress is not started twice
    release();
    await first;
    await timer.tick();
    expect(calls).toBe(2);
    expect(messages).toContainEqual(expect.objectContaining({ msg: 'change log compaction failed' }));
  });
});

describe.each(testDatabases())('change-log compaction wiring on %s', (kind) => {
  it('the app compacts on its interval with the configured retention, and closes cleanly', async () => {
    const t = await createTestApp(kind, { changeLog: { retentionHours: 1, compactionIntervalMs: 50 } });
    try {
      const f = await createFacility(t, { name: 'Timer' });
      await appendEntries(t, f.facilityId, 6);
      const top = (await t.app.services.changeLog.cursor(f.facilityId)).lastSeq;
      await age(t, f.facilityId, range(1, top - 2), 1 / 12); // two hours old
      const deadline = Date.now() + 10_000;
      while ((await t.app.services.changeLog.cursor(f.facilityId)).compactedThrough < top - 2) {
        if (Date.now() > deadline) throw new Error('the compaction timer never ran');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await seqsOf(t, f.facilityId)).toEqual([top - 1, top]);
    } finally {
      await t.close();
    }
  }, 120_000);
});
