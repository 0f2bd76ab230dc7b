import type { FacilityFixture } from '@clubos/cloud/testing';
import { testDatabases } from '@clubos/cloud/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlakyProxy } from '../../testing/flaky-proxy.js';
import { edgeActiveSpans, overlaps } from '../../testing/invariants.js';
import { RealCloud } from '../../testing/real-cloud.js';
import { eventually, tempDir } from '../../testing/sync-harness.js';
import { buildTestEdge, OUTAGE_SYNC_ENV } from '../../testing/test-edge.js';
import { recordDoorDecision, sellWalkIn } from '../../testing/venue-actions.js';
import { outboxDepth } from '../outbox.repository.js';
import { readSyncState } from '../replica.repository.js';

/**
 * The whole edge (LAN API, sync loops) against the real cloud, through a TCP proxy that takes the
 * link down. While it is down both sides keep writing: web sales and cancellations and a front-desk
 * check-in at the cloud; door decisions, walk-ins (inside and beyond the safe horizon) and a check-in
 * at the edge. Back up, both sides converge and the invariants hold; the walk-ins the cloud sold
 * meanwhile are settled by the documented rule (moved to a free bay at the same time, else flagged).
 */

const MIN = 60_000;
const ACTIVE = new Set(['pending', 'confirmed', 'checked_in']);
const halfHour = (minutes: number) => Math.ceil((Date.now() + minutes * MIN) / (30 * MIN)) * 30 * MIN;

describe.each(testDatabases())(
  'cloud down for a stretch, writes on both sides (real cloud on %s)',
  (kind) => {
    let cloud: RealCloud;
    let venue: FacilityFixture;
    let proxy: FlakyProxy;
    let tmp: ReturnType<typeof tempDir>;
    let app: FastifyInstance;
    let kiosk: string;
    let bays: string[];
    const doorEvents: string[] = [];

    beforeAll(async () => {
      cloud = await RealCloud.start(kind);
      venue = await cloud.facility({ bays: 4, minAdvanceHours: 2 });
      bays = venue.bayIds;
      const { key } = await cloud.registerEdge(venue.facilityId);
      proxy = new FlakyProxy({ host: '127.0.0.1', port: cloud.port });
      const proxyUrl = await proxy.listen();
      tmp = tempDir();
      app = await buildTestEdge(tmp.dir, {
        ...OUTAGE_SYNC_ENV,
        CLOUD_URL: proxyUrl,
        EDGE_KEY: key,
        FACILITY_ID: venue.facilityId,
        SYNC_REQUEST_TIMEOUT_MS: '2000',
      });
      kiosk = `Device ${app.edge.auth.createKiosk('test kiosk').key}`;
      const head = await cloud.head(venue.facilityId);
      expect(await eventually(() => readSyncState(app.edge.database.db)?.cursor === head, 20_000)).toBe(true);
    }, 120_000);
    afterAll(async () => {
      await app?.close();
      await proxy?.close();
      await cloud?.close();
      tmp?.cleanup();
    });

    const edgeRow = (id: string) =>
      app.edge.database.sqlite
        .prepare('SELECT simulator_id, status, origin, reconciliation FROM bookings WHERE id = ?')
        .get(id) as
        | { simulator_id: string; status: string; origin: string; reconciliation: string }
        | undefined;

    function doorDecision(granted: boolean): void {
      doorEvents.push(recordDoorDecision(app.edge.database, granted));
    }

    const walkIn = (bay: string, start: number, minutes: number) =>
      sellWalkIn(app, kiosk, bay, start, minutes);

    async function checkInAtEdge(id: string) {
      const res = await app.inject({
        method: 'POST',
        url: `/api/v1/bookings/${id}/checkin`,
        headers: { authorization: kiosk },
        payload: { method: 'qr_code' },
      });
      expect(res.statusCode, res.body).toBe(200);
    }

    /**
     * No overlapping active bookings on any bay at either end; the edge cursor at the cloud head;
     * the replica equal to the cloud; every door event in the cloud exactly once (its id is the key).
     */
    async function assertInvariants(): Promise<Map<string, string>> {
      const cloudBookings = await cloud.bookings(venue.facilityId);
      const spans = cloudBookings
        .filter((b) => ACTIVE.has(b.status))
        .map((b) => ({ id: b.id, bay: b.simulator_id, start: b.start, end: b.end }));
      expect(overlaps(spans)).toEqual([]);
      expect(overlaps(edgeActiveSpans(app.edge.database))).toEqual([]);
      expect(readSyncState(app.edge.database.db)?.cursor).toBe(await cloud.head(venue.facilityId));
      const differences = cloudBookings.flatMap((b) => {
        const row = edgeRow(b.id);
        return row?.simulator_id === b.simulator_id && row.status === b.status && row.origin === 'cloud'
          ? []
          : [`${b.id}: edge ${JSON.stringify(row)}, cloud ${b.simulator_id}/${b.status}`];
      });
      expect(differences).toEqual([]);
      const stored = await cloud.edgeEvents(venue.facilityId);
      for (const id of doorEvents) expect(stored.get(id)).toBe('door.decision');
      expect([...stored.values()].filter((t) => t === 'door.decision')).toHaveLength(doorEvents.length);
      return stored;
    }

    async function converged(): Promise<boolean> {
      // Settled twice in a row: a moved walk-in re-submits, which writes to the feed again.
      let settledOnce = false;
      const until = Date.now() + 60_000;
      while (Date.now() < until) {
        const head = await cloud.head(venue.facilityId);
        const unsettled = app.edge.database.sqlite
          .prepare("SELECT count(*) AS n FROM bookings WHERE origin = 'edge' AND reconciliation != 'flagged'")
          .get() as { n: number };
        const settled =
          outboxDepth(app.edge.database.db).pending === 0 &&
          readSyncState(app.edge.database.db)?.cursor === head &&
          unsettled.n === 0;
        if (settled && settledOnce) return true;
        settledOnce = settled;
        await new Promise((r) => setTimeout(r, 150));
      }
      return false;
    }

    it('converges, the invariants hold, and contested walk-ins are moved or flagged', {
      timeout: 180_000,
    }, async () => {
      // Online: two walk-ins that start now (the cloud takes them), and web sales for later.
      const startNow = Math.ceil((Date.now() + MIN) / MIN) * MIN;
      const arriving = [await walkIn(bays[0]!, startNow, 60), await walkIn(bays[1]!, startNow, 60)];
      expect(arriving.map((a) => a?.mode)).toEqual(['online', 'online']);
      const later = await Promise.all(
        [0, 1, 2].map(async (i) => (await cloud.sell(bays[i]!, halfHour(300), 60))!),
      );
      const [edgeCheckIn, cloudCheckIn] = arriving.map((a) => a!.booking.id) as [string, string];
      expect(
        await eventually(
          () => later.every((id) => edgeRow(id) !== undefined) && edgeRow(edgeCheckIn)?.origin === 'cloud',
          20_000,
        ),
      ).toBe(true);

      proxy.setMode('down');
      const contested = halfHour(240);
      const modes: string[] = [];
      for (let round = 0; round < 5; round++) {
        // Cloud side: web sales and cancellations the edge cannot see.
        await cloud.sell(bays[round % 4]!, halfHour(400 + round * 60), 60);
        if (round < later.length) await cloud.cancel(later[round]!);
        // Edge side: door decisions, and walk-ins.
        for (let i = 0; i < 6; i++) doorDecision(i % 3 !== 0);
        modes.push((await walkIn(bays[3]!, halfHour(20 + round * 30), 30))?.mode ?? 'refused');
      }
      // Contested: the cloud sells bays 0–2 at one time; the edge sells bays 0 and 1 then, provisionally.
      for (const bay of bays.slice(0, 3)) expect(await cloud.sell(bay, contested, 60)).not.toBeNull();
      const moved = await walkIn(bays[0]!, contested, 60);
      const flagged = await walkIn(bays[1]!, contested, 60);
      expect(moved?.mode).toBe('provisional');
      expect(flagged?.mode).toBe('provisional');
      // The early ones end inside the safe horizon and are final; the later ones are provisional.
      expect(modes).toContain('offline');
      expect(modes).toContain('provisional');
      // A check-in at each end while they cannot talk.
      await checkInAtEdge(edgeCheckIn);
      await cloud.checkIn(cloudCheckIn);
      expect(app.edge.sync!.link.online).toBe(false);
      const queuedOffline = app.edge.database.sqlite
        .prepare('SELECT event_id, type, payload FROM outbox')
        .all() as {
        event_id: string;
        type: string;
        payload: string;
      }[];

      proxy.setMode('up');
      expect(await converged()).toBe(true);

      const stored = await assertInvariants();
      expect([...stored.values()].filter((t) => t === 'booking.checked_in')).toHaveLength(1);
      const rejectedWalkIns = new Set([moved!.booking.id, flagged!.booking.id]);
      for (const event of queuedOffline) {
        const bookingId = (JSON.parse(event.payload) as { booking_id?: string }).booking_id ?? '';
        if (event.type === 'walk_in.created' && rejectedWalkIns.has(bookingId))
          expect(stored.has(event.event_id)).toBe(false);
        else expect(stored.get(event.event_id)).toBe(event.type);
      }
      // Both check-ins reached the other side.
      for (const id of [edgeCheckIn, cloudCheckIn]) {
        expect((await cloud.booking(id))?.status).toBe('checked_in');
        expect(edgeRow(id)?.status).toBe('checked_in');
      }

      // The documented rule: the cloud booking stands; the first walk-in moved to the only free bay
      // (bay 4) at the same time, the second found none and is flagged for staff.
      expect(edgeRow(moved!.booking.id)).toMatchObject({
        simulator_id: bays[3],
        reconciliation: 'moved',
        status: 'confirmed',
      });
      expect(await cloud.booking(moved!.booking.id)).toMatchObject({
        simulator_id: bays[3],
        status: 'confirmed',
      });
      expect(edgeRow(flagged!.booking.id)).toMatchObject({ reconciliation: 'flagged', status: 'cancelled' });
      expect(await cloud.booking(flagged!.booking.id)).toBeUndefined();
      // What the kiosk (customer) and the console (staff) read for each.
      const lookup = async (id: string) =>
        (
          await app.inject({
            method: 'GET',
            url: `/api/v1/bookings/${id}`,
            headers: { authorization: kiosk },
          })
        ).json();
      expect(await lookup(moved!.booking.id)).toMatchObject({
        simulator_id: bays[3],
        reconciliation: 'moved',
      });
      expect((await lookup(moved!.booking.id)).reconciliation_note).toMatch(/moved to Bay 4/);
      expect((await lookup(flagged!.booking.id)).reconciliation_note).toMatch(/staff must resolve/);
    });

    it('a flapping network during a burst of writes: converges, same invariants', {
      timeout: 180_000,
    }, async () => {
      // Runs after the outage above, on the same venue: far-off times, so nothing collides with it.
      proxy.setMode('flapping');
      const burst: Promise<unknown>[] = [];
      for (let i = 0; i < 24; i++) {
        await cloud.sell(bays[i % 4]!, halfHour(900 + Math.floor(i / 4) * 60), 60);
        doorDecision(i % 2 === 0);
        if (i % 6 === 0) burst.push(walkIn(bays[(i / 6) % 4]!, halfHour(600 + i * 15), 30));
        await new Promise((r) => setTimeout(r, 15));
      }
      await Promise.all(burst);
      expect(proxy.cuts).toBeGreaterThan(0);
      proxy.setMode('up');
      expect(await converged()).toBe(true);
      await assertInvariants();
    });
  },
);
