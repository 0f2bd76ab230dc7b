import path from 'node:path';
import { ChangeLogCompactor } from '@clubos/cloud/edge-feed/change-log.compaction';
import type { FacilityFixture } from '@clubos/cloud/testing';
import { testDatabases } from '@clubos/cloud/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealCloud } from '../../testing/real-cloud.js';
import { eventually, silentLog, syncHarness, tempDir } from '../../testing/sync-harness.js';
import { readSyncState } from '../replica.repository.js';

/**
 * Change-log compaction at the real cloud against the real edge pull loop: an edge offline for
 * longer than the retention comes back behind the low-water mark, is answered `snapshot_required`,
 * reloads from the snapshot and follows the feed again, with every booking where the cloud has it.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const halfHour = (fromNowMs: number) => Math.ceil((Date.now() + fromNowMs) / (HOUR / 2)) * (HOUR / 2);

describe.each(testDatabases())('an edge behind the compacted change log on %s', (kind) => {
  let cloud: RealCloud;
  let venue: FacilityFixture;
  let tmp: ReturnType<typeof tempDir>;

  beforeAll(async () => {
    cloud = await RealCloud.start(kind);
    venue = await cloud.facility({ bays: 2 });
    tmp = tempDir();
  }, 120_000);
  afterAll(async () => {
    await cloud?.close();
    tmp?.cleanup();
  });

  it('re-bootstraps from the snapshot and converges with no booking lost', async () => {
    const [bay1, bay2] = venue.bayIds as [string, string];
    const kept = await cloud.sell(bay1, halfHour(3 * HOUR), 60);
    const cancelledLater = await cloud.sell(bay2, halfHour(3 * HOUR), 60);
    const { key } = await cloud.registerEdge(venue.facilityId);
    const h = syncHarness({
      file: path.join(tmp.dir, 'edge.sqlite'),
      cloudUrl: cloud.url,
      edgeKey: key,
      facilityId: venue.facilityId,
    });
    try {
      const cursor = () => readSyncState(h.database.db)?.cursor;
      const before = await cloud.head(venue.facilityId);
      h.pull.start();
      expect(await eventually(() => cursor() === before, 15_000)).toBe(true);
      const firstLoad = readSyncState(h.database.db)!.snapshot_loaded_at ?? Number.NaN;
      expect(firstLoad).toBeGreaterThan(0);
      const staleCursor = cursor()!;
      await h.pull.stop(); // the venue's line goes down

      // Meanwhile at the cloud: sales and a cancellation, then a week passes and compaction runs.
      const soldOffline = [
        await cloud.sell(bay1, halfHour(6 * HOUR), 60),
        await cloud.sell(bay2, halfHour(8 * HOUR), 90),
      ];
      await cloud.cancel(cancelledLater!);
      await cloud.t.app.db.execute(sql`UPDATE change_log SET created_at = now() - interval '8 days'
        WHERE facility_id = ${venue.facilityId}::uuid`);
      const compactor = new ChangeLogCompactor(cloud.t.app.db, silentLog, { retentionMs: 7 * DAY });
      const [compaction] = await compactor.runOnce();
      expect(compaction!.through).toBeGreaterThan(staleCursor);
      const afterCompaction = await cloud.sell(bay1, halfHour(10 * HOUR), 30); // young: stays in the log

      // Back online: snapshot_required → snapshot → the feed from its seq.
      h.pull.start();
      const head = await cloud.head(venue.facilityId);
      expect(await eventually(() => cursor() === head, 15_000)).toBe(true);
      const state = readSyncState(h.database.db)!;
      expect(state.snapshot_loaded_at).toBeGreaterThan(firstLoad);

      const local = new Map(
        (
          h.database.sqlite
            .prepare("SELECT id, simulator_id, status FROM bookings WHERE origin = 'cloud'")
            .all() as { id: string; simulator_id: string; status: string }[]
        ).map((r) => [r.id, r]),
      );
      for (const b of await cloud.bookings(venue.facilityId)) {
        if (b.status === 'cancelled') continue;
        expect(local.get(b.id), `booking ${b.id}`).toMatchObject({
          simulator_id: b.simulator_id,
          status: b.status,
        });
      }
      for (const id of [kept!, ...soldOffline, afterCompaction]) expect(local.has(id!)).toBe(true);
      // The cancellation made while offline reached the edge through the snapshot: no door for it.
      expect(local.has(cancelledLater!)).toBe(false);
      const revoked = h.database.sqlite
        .prepare('SELECT count(*) AS n FROM revocations WHERE booking_id = ?')
        .get(cancelledLater) as { n: number };
      expect(revoked.n).toBe(1);
    } finally {
      await h.close();
    }
  }, 120_000);
});
