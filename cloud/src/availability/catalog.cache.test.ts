import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BookingRepository } from '../bookings/booking.repository.js';
import { bookAsGuest, createFacility, type FacilityFixture, utcDate, utcSlot } from '../testing/facility.js';
import { createTestApp, type TestApp, testDatabases } from '../testing/test-app.js';
import { CatalogCache } from './catalog.cache.js';
import { CatalogRepository } from './catalog.repository.js';

/**
 * The catalog cache and the listing cache must never show a schedule older than what was
 * committed: a catalog change in the change log, a hold, a released hold all show at once.
 */
describe.each(testDatabases())('availability caches on %s', (kind) => {
  let t: TestApp;
  let f: FacilityFixture;

  beforeAll(async () => {
    t = await createTestApp(kind);
    f = await createFacility(t, { bays: 2, open: '09:00', close: '17:00' });
  });
  afterAll(async () => t?.close());

  const starts = async (day: number, bay: number) => {
    const res = await t.request({
      method: 'GET',
      url: `/api/v1/availability?facility_id=${f.facilityId}&date=${utcDate(day)}&duration=60`,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    return res.json().simulators[bay].slots.map((s: { start_time: string }) => s.start_time) as string[];
  };

  /** A closure as the admin API writes it: the row and its change-log entry in one transaction. */
  const closeBay = async (bayId: string, day: number, from: number, to: number) => {
    const { facilityRepository, changeLog } = t.app.services;
    await t.app.db.transaction(async (tx) => {
      const row = await facilityRepository.insertClosure(
        {
          facilityId: f.facilityId,
          simulatorId: bayId,
          kind: 'maintenance',
          startsAt: new Date(utcSlot(day, from)),
          endsAt: new Date(utcSlot(day, to)),
          reason: 'projector',
        },
        tx,
      );
      await changeLog.append(tx, f.facilityId, 'closure', 'upsert', row.id, { id: row.id });
    });
  };

  it('shows a catalog change logged in the change log on the next request', async () => {
    expect(await starts(5, 0)).toContain(utcSlot(5, 10));
    await closeBay(f.bayIds[0]!, 5, 10, 12);
    const after = await starts(5, 0);
    expect(after).not.toContain(utcSlot(5, 10));
    expect(after).not.toContain(utcSlot(5, 11));
    expect(after).toContain(utcSlot(5, 12));
    // The booking check uses the same catalog: the closed time is refused.
    const res = await bookAsGuest(t, f.bayIds[0], utcSlot(5, 10), 'c@d.co');
    expect(res.statusCode, res.body).toBe(409);
  });

  it('drops a held slot from the listing at once and brings it back when the hold is released', async () => {
    expect(await starts(6, 1)).toContain(utcSlot(6, 14));
    const hold = await t.request({
      method: 'POST',
      url: '/api/v1/holds',
      payload: { simulator_id: f.bayIds[1], start_time: utcSlot(6, 14), duration: 60 },
    });
    expect(hold.statusCode, hold.body).toBe(201);
    expect(await starts(6, 1)).not.toContain(utcSlot(6, 14));
    const released = await t.request({ method: 'DELETE', url: `/api/v1/holds/${hold.json().id}` });
    expect(released.statusCode, released.body).toBe(200);
    expect(await starts(6, 1)).toContain(utcSlot(6, 14));
  });

  it('books over an expired hold: the write purges it and retries', async () => {
    const hold = await t.request({
      method: 'POST',
      url: '/api/v1/holds',
      payload: { simulator_id: f.bayIds[1], start_time: utcSlot(7, 9), duration: 60 },
    });
    expect(hold.statusCode, hold.body).toBe(201);
    const repo = new BookingRepository(t.app.db);
    await repo.update(t.app.db, hold.json().id, { holdExpiresAt: new Date(Date.now() - 1000) });
    const res = await bookAsGuest(t, f.bayIds[1], utcSlot(7, 9), 'e@f.co');
    expect(res.statusCode, res.body).toBe(201);
    expect(await repo.findById(hold.json().id)).toBeUndefined();
  });

  it('reloads a catalog edited outside the admin API once it is older than maxAgeMs', async () => {
    let clock = Date.now();
    const cache = new CatalogCache(new CatalogRepository(t.app.db, t.app.services.facilityRepository), {
      maxAgeMs: 10_000,
      now: () => clock,
    });
    const first = await cache.load(f.facilityId);
    const closuresBefore = first!.closures.length;
    // A script inserts a closure with no change-log entry.
    await t.app.services.facilityRepository.insertClosure({
      facilityId: f.facilityId,
      simulatorId: null,
      kind: 'closure',
      startsAt: new Date(utcSlot(9, 9)),
      endsAt: new Date(utcSlot(9, 17)),
      reason: 'private event',
    });
    const fresh = await cache.repo.freshnessWithHolds(
      f.facilityId,
      cache.knownHead(f.facilityId),
      new Date(),
      new Date(utcSlot(10, 0)),
    );
    expect(fresh.catalogChanged).toBe(false);
    expect((await cache.current(f.facilityId, fresh))!.closures).toHaveLength(closuresBefore);
    clock += 10_001;
    expect(cache.peek(f.facilityId)).toBeUndefined();
    const reloaded = (await cache.current(f.facilityId, fresh))!;
    expect(reloaded.closures).toHaveLength(closuresBefore + 1);
    // Its contents changed, so does its version (listings computed from the old copy are stale).
    expect(reloaded.contentVersion).not.toBe(first!.contentVersion);
  });

  it('keeps the content version across a periodic reload that finds nothing changed', async () => {
    let clock = Date.now();
    const cache = new CatalogCache(new CatalogRepository(t.app.db, t.app.services.facilityRepository), {
      maxAgeMs: 10_000,
      now: () => clock,
    });
    const first = (await cache.load(f.facilityId))!;
    clock += 10_001;
    expect(cache.peek(f.facilityId)).toBeUndefined();
    const again = (await cache.load(f.facilityId))!;
    expect(again.loadedAt).toBeGreaterThan(first.loadedAt);
    expect(again.contentVersion).toBe(first.contentVersion);
  });

  it('knows no bay or facility that does not exist', async () => {
    const cache = new CatalogCache(new CatalogRepository(t.app.db, t.app.services.facilityRepository));
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect(await cache.facilityIdOfBay(unknown)).toBeUndefined();
    expect(await cache.load(unknown)).toBeUndefined();
    expect(await cache.facilityIdOfBay(f.bayIds[0]!)).toBe(f.facilityId);
  });
});
