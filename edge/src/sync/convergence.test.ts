import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeCloud } from '../testing/fake-cloud.js';
import { FlakyProxy } from '../testing/flaky-proxy.js';
import { cloudActiveSpans, edgeActiveSpans, overlaps, replicaDifferences } from '../testing/invariants.js';
import { seedFacility } from '../testing/seed-facility.js';
import { eventually, tempDir } from '../testing/sync-harness.js';
import { buildTestEdge, OUTAGE_SYNC_ENV } from '../testing/test-edge.js';
import { recordDoorDecision, sellWalkIn } from '../testing/venue-actions.js';
import { outboxDepth } from './outbox.repository.js';
import { readSyncState } from './replica.repository.js';

/**
 * Both sides keep writing while the link is down or flapping; once it is back they converge and the
 * invariants hold: no overlapping active bookings on any bay (cloud and edge), every edge event in
 * the cloud exactly once, the edge cursor at the cloud head, the replica equal to the cloud.
 */

const MIN = 60_000;
let cloud: FakeCloud;
let proxy: FlakyProxy;
let tmp: ReturnType<typeof tempDir>;
let app: FastifyInstance;
let bays: string[];
let kiosk: string;
/** Every event id the edge queued (door decisions here; check-ins and walk-ins via the API). */
const doorEvents: string[] = [];

beforeEach(async () => {
  cloud = new FakeCloud();
  await cloud.listen();
  ({ bayIds: bays } = seedFacility(cloud, { bays: 4 }));
  proxy = new FlakyProxy({ host: '127.0.0.1', port: Number(new URL(cloud.url).port) });
  const proxyUrl = await proxy.listen();
  tmp = tempDir();
  app = await buildTestEdge(tmp.dir, {
    ...OUTAGE_SYNC_ENV,
    CLOUD_URL: proxyUrl,
    EDGE_KEY: cloud.issueKey(),
    SYNC_REQUEST_TIMEOUT_MS: '1000',
  });
  kiosk = `Device ${app.edge.auth.createKiosk('test kiosk').key}`;
  doorEvents.length = 0;
  expect(await eventually(() => readSyncState(app.edge.database.db)?.cursor === cloud.head)).toBe(true);
});
afterEach(async () => {
  await app.close();
  await proxy.close();
  await cloud.close();
  tmp.cleanup();
});

function doorDecision(granted: boolean): void {
  doorEvents.push(recordDoorDecision(app.edge.database, granted));
}

const walkIn = (bay: string, start: number, minutes: number) => sellWalkIn(app, kiosk, bay, start, minutes);

async function checkIn(id: string) {
  const res = await app.inject({
    method: 'POST',
    url: `/api/v1/bookings/${id}/checkin`,
    headers: { authorization: kiosk },
    payload: { method: 'qr_code' },
  });
  expect(res.statusCode).toBe(200);
}

const halfHour = (minutes: number) => Math.ceil((Date.now() + minutes * MIN) / (30 * MIN)) * 30 * MIN;

async function converged(): Promise<boolean> {
  // Settled twice in a row: a moved walk-in re-submits, which writes to the feed again.
  let settledOnce = false;
  return eventually(
    () => {
      const state = readSyncState(app.edge.database.db);
      const unsettledWalkIns = app.edge.database.sqlite
        .prepare("SELECT count(*) AS n FROM bookings WHERE origin = 'edge' AND reconciliation != 'flagged'")
        .get() as { n: number };
      const settled =
        outboxDepth(app.edge.database.db).pending === 0 &&
        state?.cursor === cloud.head &&
        unsettledWalkIns.n === 0;
      if (settled && settledOnce) return true;
      settledOnce = settled;
      return false;
    },
    30_000,
    100,
  );
}

function assertInvariants(expected: { checkIns: number }) {
  expect(overlaps(cloudActiveSpans(cloud))).toEqual([]);
  expect(overlaps(edgeActiveSpans(app.edge.database))).toEqual([]);
  expect(readSyncState(app.edge.database.db)?.cursor).toBe(cloud.head);
  expect(replicaDifferences(cloud, app.edge.database)).toEqual([]);
  expect([...cloud.acceptedEvents.values()].every((n) => n === 1)).toBe(true);
  for (const id of doorEvents) expect(cloud.acceptedEvents.get(id)).toBe(1);
  expect(cloud.eventsByType.get('door.decision')).toBe(doorEvents.length);
  expect(cloud.eventsByType.get('booking.checked_in') ?? 0).toBe(expected.checkIns);
  // Every walk-in the edge did not flag is in the cloud, on the bay the edge shows.
  const walkIns = app.edge.database.sqlite
    .prepare("SELECT id, simulator_id, reconciliation FROM bookings WHERE reconciliation != 'none'")
    .all() as { id: string; simulator_id: string; reconciliation: string }[];
  for (const w of walkIns) {
    if (w.reconciliation === 'flagged') expect(cloud.get('booking', w.id)).toBeUndefined();
    else expect(cloud.get('booking', w.id)?.simulator_id).toBe(w.simulator_id);
  }
}

describe('cloud down for a long stretch, writes on both sides', () => {
  it('converges and the invariants hold', { timeout: 90_000 }, async () => {
    // Before the outage: bookings that start now (checked in during the outage) and later ones.
    const soon = Math.ceil((Date.now() + 2 * MIN) / MIN) * MIN;
    const arriving = [cloud.sell(bays[0]!, soon, 60)!, cloud.sell(bays[1]!, soon, 60)!];
    const later = [0, 1, 2].map((i) => cloud.sell(bays[i]!, halfHour(300), 60)!);
    expect(await eventually(() => readSyncState(app.edge.database.db)?.cursor === cloud.head)).toBe(true);

    proxy.setMode('down');
    const contested = halfHour(240);
    const modes: string[] = [];
    for (let round = 0; round < 5; round++) {
      // Cloud side: web sales and cancellations the edge cannot see.
      cloud.sell(bays[round % 4]!, halfHour(400 + round * 60), 60);
      if (round < later.length) cloud.cancel(later[round]!);
      // Edge side: door decisions, and walk-ins on time the cloud is selling too.
      for (let i = 0; i < 6; i++) doorDecision(i % 3 !== 0);
      modes.push((await walkIn(bays[3]!, halfHour(20 + round * 30), 30))?.mode ?? 'refused');
    }
    // Contested: the cloud sells bays 0–2 at one time; the edge sells bays 0 and 1 then, provisionally.
    for (const bay of bays.slice(0, 3)) cloud.sell(bay, contested, 60);
    const moved = await walkIn(bays[0]!, contested, 60);
    const flagged = await walkIn(bays[1]!, contested, 60);
    expect(moved?.mode).toBe('provisional');
    expect(flagged?.mode).toBe('provisional');
    // The early ones end inside the safe horizon and are final; the later ones are provisional.
    expect(modes).toContain('offline');
    expect(modes).toContain('provisional');
    for (const id of arriving) await checkIn(id);
    expect(app.edge.sync!.link.online).toBe(false);

    proxy.setMode('up');
    expect(await converged()).toBe(true);
    assertInvariants({ checkIns: 2 });
    // The cloud booking stood; the first walk-in moved to the only free bay, the second was flagged.
    const outcome = (id: string) =>
      app.edge.database.sqlite
        .prepare('SELECT simulator_id, reconciliation FROM bookings WHERE id = ?')
        .get(id);
    expect(outcome(moved!.booking.id)).toEqual({ simulator_id: bays[3], reconciliation: 'moved' });
    expect(outcome(flagged!.booking.id)).toMatchObject({ reconciliation: 'flagged' });
    for (const id of arriving) expect(cloud.get('booking', id)?.status).toBe('checked_in');
  });
});

describe('a flapping network during a burst of writes', () => {
  it('converges and the invariants hold', { timeout: 90_000 }, async () => {
    proxy.setMode('flapping');
    const burst: Promise<unknown>[] = [];
    for (let i = 0; i < 40; i++) {
      cloud.sell(bays[i % 4]!, halfHour(600 + Math.floor(i / 4) * 60), 60);
      doorDecision(i % 2 === 0);
      if (i % 4 === 0) burst.push(walkIn(bays[(i / 4) % 4]!, halfHour(30 + i * 15), 30));
      await new Promise((r) => setTimeout(r, 15));
    }
    await Promise.all(burst);
    expect(proxy.cuts).toBeGreaterThan(0);
    proxy.setMode('up');
    expect(await converged()).toBe(true);
    assertInvariants({ checkIns: 0 });
  });
});
