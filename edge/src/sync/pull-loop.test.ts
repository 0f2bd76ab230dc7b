import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeCloud } from '../testing/fake-cloud.js';
import { seedFacility } from '../testing/seed-facility.js';
import { eventually, type SyncHarness, syncHarness, tempDir } from '../testing/sync-harness.js';
import { readSyncState } from './replica.repository.js';
import { syncStatus } from './sync-status.service.js';

let cloud: FakeCloud;
let tmp: ReturnType<typeof tempDir>;
const harnesses: SyncHarness[] = [];

beforeEach(async () => {
  cloud = new FakeCloud();
  await cloud.listen();
  tmp = tempDir();
});
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
  await cloud.close();
  tmp.cleanup();
});

function edge(key = cloud.issueKey(), extra: Partial<Parameters<typeof syncHarness>[0]> = {}) {
  const h = syncHarness({
    file: path.join(tmp.dir, 'edge.sqlite'),
    cloudUrl: cloud.url,
    edgeKey: key,
    ...extra,
  });
  harnesses.push(h);
  return h;
}

const count = (h: SyncHarness, table: string) =>
  (h.database.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('PullLoop', () => {
  it('bootstraps from a snapshot when new, then follows the feed', async () => {
    const { bayIds } = seedFacility(cloud, { bays: 2 });
    const h = edge();
    await h.pull.pullOnce();
    expect(count(h, 'bays')).toBe(2);
    expect(readSyncState(h.database.db)).toMatchObject({ cursor: cloud.head, facility_id: cloud.facilityId });
    cloud.sell(bayIds[0]!, Date.now() + 3_600_000, 60);
    await h.pull.pullOnce();
    expect(count(h, 'bookings')).toBe(1);
    expect(readSyncState(h.database.db)?.cursor).toBe(cloud.head);
  });

  it('catching up, asks for the next batch before applying the current one, each batch once', async () => {
    const { bayIds } = seedFacility(cloud, { bays: 1 });
    const h = edge(undefined, { pullLimit: 2 });
    await h.pull.pullOnce();
    for (let i = 0; i < 5; i++) cloud.sell(bayIds[0]!, Date.now() + (i + 1) * 3_600_000, 30);
    const asked: number[] = [];
    const changes = h.feed.changes.bind(h.feed);
    h.feed.changes = (after, limit, wait, signal) => {
      asked.push(after);
      return changes(after, limit, wait, signal);
    };
    const base = readSyncState(h.database.db)!.cursor;
    await h.pull.pullOnce();
    // The second batch was requested while the first was being applied.
    expect(asked).toEqual([base, base + 2]);
    while ((await h.pull.pullOnce()).hasMore);
    expect(asked).toEqual([base, base + 2, base + 4]);
    expect(readSyncState(h.database.db)?.cursor).toBe(cloud.head);
    expect(count(h, 'bookings')).toBe(5);
  });

  it('reloads a snapshot when the cloud has compacted the feed past its cursor', async () => {
    const { bayIds } = seedFacility(cloud, { bays: 1 });
    const h = edge();
    await h.pull.pullOnce();
    const first = cloud.sell(bayIds[0]!, Date.now() + 3_600_000, 60)!;
    cloud.sell(bayIds[0]!, Date.now() + 7_200_000, 60);
    cloud.cancel(first);
    cloud.compact(cloud.head);
    await h.pull.pullOnce(); // answered snapshot_required → snapshot
    expect(readSyncState(h.database.db)?.cursor).toBe(cloud.head);
    const statuses = h.database.sqlite.prepare('SELECT status FROM bookings ORDER BY start_time').all();
    expect(statuses).toEqual([{ status: 'cancelled' }, { status: 'confirmed' }]);
  });

  it('long-polls: a cloud commit reaches the replica without waiting for a timer', async () => {
    const { bayIds } = seedFacility(cloud, { bays: 1 });
    const h = edge(undefined, { longPollMs: 10_000, push: false });
    h.pull.start();
    expect(await eventually(() => count(h, 'bays') === 1)).toBe(true);
    await new Promise((r) => setTimeout(r, 100)); // the loop is now parked in a long-poll
    const soldAt = Date.now();
    cloud.sell(bayIds[0]!, Date.now() + 3_600_000, 60);
    expect(await eventually(() => count(h, 'bookings') === 1, 5_000, 5)).toBe(true);
    expect(Date.now() - soldAt).toBeLessThan(1_000);
  });

  it('refuses a revoked key and a key of another facility, and says so in the status', async () => {
    seedFacility(cloud, { bays: 1 });
    const revoked = cloud.issueKey();
    cloud.revokeKey(revoked);
    const h = edge(revoked);
    await expect(h.pull.pullOnce()).rejects.toMatchObject({ kind: 'auth' });
    const foreign = cloud.issueKey('7f1c2a3b-0000-4000-8000-000000000001');
    const other = syncHarness({
      file: path.join(tmp.dir, 'other.sqlite'),
      cloudUrl: cloud.url,
      edgeKey: foreign,
    });
    harnesses.push(other);
    await expect(other.pull.pullOnce()).rejects.toMatchObject({ kind: 'auth' });
    expect(count(other, 'bays')).toBe(0);
    other.pull.start();
    expect(
      await eventually(() => syncStatus(other.database, other.link, Date.now()).last_error !== null),
    ).toBe(true);
    expect(syncStatus(other.database, other.link, Date.now())).toMatchObject({ state: 'offline' });
  });

  it('refuses a snapshot for another facility than the configured one', async () => {
    seedFacility(cloud, { bays: 1 });
    const h = edge(undefined, { facilityId: '7f1c2a3b-0000-4000-8000-000000000002' });
    await expect(h.pull.pullOnce()).rejects.toThrow(/snapshot is for facility/);
    expect(count(h, 'bays')).toBe(0);
  });
});
