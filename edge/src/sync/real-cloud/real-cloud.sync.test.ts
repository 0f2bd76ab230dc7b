import path from 'node:path';
import type { FacilityFixture } from '@clubos/cloud/testing';
import { testDatabases } from '@clubos/cloud/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RealCloud } from '../../testing/real-cloud.js';
import { eventually, type SyncHarness, syncHarness, tempDir } from '../../testing/sync-harness.js';
import { readSyncState } from '../replica.repository.js';
import { syncStatus } from '../sync-status.service.js';

/**
 * The edge's sync against the real cloud: registration → snapshot bootstrap → the feed, pushed by
 * the change stream; a revoked key; a key of another facility.
 */

const HOUR = 3_600_000;
const halfHour = (fromNowMs: number) => Math.ceil((Date.now() + fromNowMs) / (HOUR / 2)) * (HOUR / 2);

describe.each(testDatabases())('edge sync against the real cloud on %s', (kind) => {
  let cloud: RealCloud;
  let venue: FacilityFixture;
  let other: FacilityFixture;
  let tmp: ReturnType<typeof tempDir>;
  const harnesses: SyncHarness[] = [];

  beforeAll(async () => {
    cloud = await RealCloud.start(kind);
    venue = await cloud.facility({ bays: 2 });
    other = await cloud.facility({ bays: 1, name: 'Other venue' });
    tmp = tempDir();
  }, 120_000);
  afterEach(async () => {
    for (const h of harnesses.splice(0)) await h.close();
  });
  afterAll(async () => {
    await cloud?.close();
    tmp?.cleanup();
  });

  function edge(key: string, extra: Partial<Parameters<typeof syncHarness>[0]> = {}) {
    const h = syncHarness({
      file: path.join(tmp.dir, `edge-${Math.random().toString(36).slice(2)}.sqlite`),
      cloudUrl: cloud.url,
      edgeKey: key,
      ...extra,
    });
    harnesses.push(h);
    return h;
  }
  const row = (h: SyncHarness, id: string) =>
    h.database.sqlite.prepare('SELECT simulator_id, status, origin FROM bookings WHERE id = ?').get(id) as
      | { simulator_id: string; status: string; origin: string }
      | undefined;
  const count = (h: SyncHarness, sqlText: string) =>
    (h.database.sqlite.prepare(sqlText).get() as { n: number }).n;

  it('registers, bootstraps from a snapshot, and a cloud booking is pushed to the replica', async () => {
    const before = await cloud.sell(venue.bayIds[0]!, halfHour(3 * HOUR), 60);
    const { key } = await cloud.registerEdge(venue.facilityId);
    // Long-poll off and idle pulls a minute apart: only the stream's nudge can bring the booking fast.
    const h = edge(key, {
      facilityId: venue.facilityId,
      longPollMs: 0,
      idlePollMs: 60_000,
      pushIdleMs: 60_000,
    });
    h.pull.start();
    const head = await cloud.head(venue.facilityId);
    expect(
      await eventually(
        () => h.pull.push?.connected === true && readSyncState(h.database.db)?.cursor === head,
        15_000,
      ),
    ).toBe(true);
    expect(readSyncState(h.database.db)).toMatchObject({
      facility_id: venue.facilityId,
      cursor: head,
    });
    expect(count(h, 'SELECT count(*) AS n FROM bays')).toBe(2);
    expect(row(h, before!)).toMatchObject({
      simulator_id: venue.bayIds[0],
      status: 'confirmed',
      origin: 'cloud',
    });

    await new Promise((r) => setTimeout(r, 100));
    const id = await cloud.sell(venue.bayIds[1]!, halfHour(4 * HOUR), 60);
    // Well under the minute the loop would otherwise sleep (the machine may be busy: no tighter bound).
    expect(await eventually(() => row(h, id!) !== undefined, 15_000, 5)).toBe(true);
    await cloud.cancel(id!);
    expect(await eventually(() => row(h, id!)?.status === 'cancelled', 5_000, 5)).toBe(true);
    expect(readSyncState(h.database.db)?.cursor).toBe(await cloud.head(venue.facilityId));
  });

  it('another facility’s bookings never reach this edge', async () => {
    const mine = edge((await cloud.registerEdge(venue.facilityId)).key, { facilityId: venue.facilityId });
    const theirs = edge((await cloud.registerEdge(other.facilityId)).key, { facilityId: other.facilityId });
    mine.pull.start();
    theirs.pull.start();
    expect(
      await eventually(() => mine.pull.push?.connected === true && theirs.pull.push?.connected === true),
    ).toBe(true);
    const foreign = await cloud.sell(other.bayIds[0]!, halfHour(5 * HOUR), 60);
    const own = await cloud.sell(venue.bayIds[0]!, halfHour(5 * HOUR), 60);
    expect(await eventually(() => row(theirs, foreign!) !== undefined && row(mine, own!) !== undefined)).toBe(
      true,
    );
    expect(row(mine, foreign!)).toBeUndefined();
    expect(row(theirs, own!)).toBeUndefined();
    expect(count(mine, `SELECT count(*) AS n FROM bays WHERE facility_id != '${venue.facilityId}'`)).toBe(0);
    expect(readSyncState(mine.database.db)?.cursor).toBe(await cloud.head(venue.facilityId));
  });

  it('an edge configured for one facility refuses the feed of another facility’s key', async () => {
    const { key } = await cloud.registerEdge(other.facilityId);
    const h = edge(key, { facilityId: venue.facilityId });
    await expect(h.pull.pullOnce()).rejects.toThrow(/snapshot is for facility/);
    expect(count(h, 'SELECT count(*) AS n FROM bays')).toBe(0);
    expect(count(h, 'SELECT count(*) AS n FROM bookings')).toBe(0);
  });

  it('a revoked key is refused: the feed, the stream and the upload, shown in the sync status', async () => {
    const registered = await cloud.registerEdge(venue.facilityId);
    const h = edge(registered.key, { facilityId: venue.facilityId });
    await h.pull.pullOnce();
    expect(count(h, 'SELECT count(*) AS n FROM bays')).toBe(2);
    await cloud.revokeEdge(registered.id);
    await expect(h.pull.pullOnce()).rejects.toMatchObject({ kind: 'auth' });
    await expect(h.feed.snapshot(AbortSignal.timeout(2_000))).rejects.toMatchObject({ kind: 'auth' });
    await expect(h.feed.watch(() => {}, 1_000, AbortSignal.timeout(2_000))).rejects.toMatchObject({
      kind: 'auth',
    });
    await expect(
      h.feed.upload(
        [{ event_id: crypto.randomUUID(), type: 'door.decision', occurred_at: Date.now(), payload: {} }],
        AbortSignal.timeout(2_000),
      ),
    ).rejects.toMatchObject({ kind: 'auth' });
    h.pull.start();
    expect(await eventually(() => syncStatus(h.database, h.link, Date.now()).last_error !== null)).toBe(true);
    expect(syncStatus(h.database, h.link, Date.now())).toMatchObject({ state: 'offline' });
  });
});
