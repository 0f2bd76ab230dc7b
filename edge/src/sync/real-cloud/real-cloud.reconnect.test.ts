import type { FacilityFixture } from '@clubos/cloud/testing';
import { testDatabases } from '@clubos/cloud/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlakyProxy } from '../../testing/flaky-proxy.js';
import { RealCloud } from '../../testing/real-cloud.js';
import { eventually, tempDir } from '../../testing/sync-harness.js';
import { buildTestEdge } from '../../testing/test-edge.js';
import { sellWalkIn } from '../../testing/venue-actions.js';
import { outboxDepth } from '../outbox.repository.js';
import { readSyncState } from '../replica.repository.js';

/**
 * The line comes back: the whole edge against the real cloud through a TCP proxy, with a backoff of
 * 10 s, so nothing reaches either side in time unless the link's return (the change stream, the
 * link's probe, reopening) cuts every backoff short. Each round: the line goes down, the edge sells
 * a walk-in and the cloud a web booking, the line comes back; each sale must reach the other side
 * within 500 ms of the line's return. What is held to 500 ms is the reconnect: the time beyond what the
 * same sale takes, in the same round, with the line up (the median of the rounds; on an idle machine
 * that is a few tens of ms, on this 2-core machine under a full test run it reached 300-500 ms, which
 * is not the edge's doing). No round may take 2 s in all: a missed wake-up costs seconds.
 */

const MIN = 60_000;
const TARGET_MS = 500;
const ROUNDS = 5;
const halfHour = (minutes: number) => Math.ceil((Date.now() + minutes * MIN) / (30 * MIN)) * 30 * MIN;

describe.each(testDatabases())('reconnect (real cloud on %s)', (kind) => {
  let cloud: RealCloud;
  let venue: FacilityFixture;
  let proxy: FlakyProxy;
  let tmp: ReturnType<typeof tempDir>;
  let app: FastifyInstance;
  let kiosk: string;

  beforeAll(async () => {
    cloud = await RealCloud.start(kind);
    venue = await cloud.facility({ bays: 2, minAdvanceHours: 2 });
    const { key } = await cloud.registerEdge(venue.facilityId);
    proxy = new FlakyProxy({ host: '127.0.0.1', port: cloud.port });
    const proxyUrl = await proxy.listen();
    tmp = tempDir();
    app = await buildTestEdge(tmp.dir, {
      CLOUD_URL: proxyUrl,
      EDGE_KEY: key,
      FACILITY_ID: venue.facilityId,
      SYNC_BACKOFF_BASE_MS: '10000',
      SYNC_BACKOFF_MAX_MS: '10000',
      SYNC_LONG_POLL_MS: '300',
      SYNC_REQUEST_TIMEOUT_MS: '2000',
    });
    kiosk = `Device ${app.edge.auth.createKiosk('test kiosk').key}`;
    const head = await cloud.head(venue.facilityId);
    expect(await eventually(() => readSyncState(app.edge.database.db)?.cursor === head, 20_000)).toBe(true);
    expect(await eventually(() => app.edge.sync?.pull.push?.connected === true, 20_000)).toBe(true);
    // Warm both paths once online (first requests compile code and queries on each side): what is
    // timed below is the reconnect, not a cold start.
    // (Online unless the cold cloud misses the 3 s forward budget; then the outbox brings it.)
    expect(await sellWalkIn(app, kiosk, venue.bayIds[0]!, halfHour(600), 30)).not.toBeNull();
    expect(await eventually(() => outboxDepth(app.edge.database.db).pending === 0, 20_000)).toBe(true);
    const web = await cloud.sell(venue.bayIds[1]!, halfHour(600), 60);
    expect(await eventually(() => edgeHas(web!), 20_000)).toBe(true);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await proxy?.close();
    await cloud?.close();
    tmp?.cleanup();
  });

  function edgeHas(id: string): boolean {
    return app.edge.database.sqlite.prepare('SELECT 1 FROM bookings WHERE id = ?').get(id) !== undefined;
  }

  /**
   * Milliseconds from `since` until `check` holds (Infinity after 15 s). Checks read the edge's SQLite
   * only: polling the in-process cloud's database would queue behind (and slow) the very requests
   * being timed.
   */
  async function until(check: () => boolean, since: number): Promise<number> {
    while (performance.now() - since < 15_000) {
      if (check()) return performance.now() - since;
      await new Promise((r) => setTimeout(r, 5));
    }
    return Number.POSITIVE_INFINITY;
  }

  it(`a walk-in sold offline reaches the cloud, and a cloud sale the edge, within ${TARGET_MS} ms of the line's return`, {
    timeout: 120_000,
  }, async () => {
    const link = app.edge.sync!.link;
    const rounds: { up: number; down: number; upOnline: number; downOnline: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // The same two sales with the line up: what this machine needs for them right now.
      // Until the cloud holds the walk-in: the forwarded sale's answer (or, past the 3 s forward
      // budget on a loaded machine, its outbox row's upload).
      const sold = performance.now();
      expect(await sellWalkIn(app, kiosk, venue.bayIds[0]!, halfHour(900 + round * 60), 30)).not.toBeNull();
      const upOnline = await until(() => outboxDepth(app.edge.database.db).pending === 0, sold);
      const webOnline = await cloud.sell(venue.bayIds[1]!, halfHour(900 + round * 60), 60);
      const downOnline = await until(() => edgeHas(webOnline!), performance.now());

      proxy.setMode('down');
      expect(await eventually(() => !link.online, 10_000)).toBe(true);
      const walkIn = await sellWalkIn(app, kiosk, venue.bayIds[0]!, halfHour(20 + round * 30), 30);
      expect(walkIn?.mode).not.toBe('online');
      const web = await cloud.sell(venue.bayIds[1]!, halfHour(300 + round * 60), 60);
      expect(web).not.toBeNull();
      // Every loop has failed at least once by now and sleeps out its backoff.
      await new Promise((r) => setTimeout(r, 300));
      expect(outboxDepth(app.edge.database.db).pending).toBeGreaterThanOrEqual(1);
      expect(edgeHas(web!)).toBe(false);

      proxy.setMode('up');
      const back = performance.now();
      // The outbox row goes only once the cloud has acknowledged, i.e. committed, the walk-in.
      const [up, down] = await Promise.all([
        until(() => outboxDepth(app.edge.database.db).pending === 0, back),
        until(() => edgeHas(web!), back),
      ]);
      expect(await cloud.hasBooking(walkIn!.booking.id)).toBe(true);
      const ms = (n: number) => Math.round(n);
      rounds.push({ up: ms(up), down: ms(down), upOnline: ms(upOnline), downOnline: ms(downOnline) });
    }
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const figures = JSON.stringify(rounds);
    expect(median(rounds.map((r) => r.up - r.upOnline)), figures).toBeLessThan(TARGET_MS);
    expect(median(rounds.map((r) => r.down - r.downOnline)), figures).toBeLessThan(TARGET_MS);
    for (const r of rounds) expect(Math.max(r.up, r.down), figures).toBeLessThan(4 * TARGET_MS);
  });
});
