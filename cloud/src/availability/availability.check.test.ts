import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BookingRepository } from '../bookings/booking.repository.js';
import { sqlState } from '../db/errors.js';
import { createFacility, type FacilityFixture, utcSlot } from '../testing/facility.js';
import { createTestApp, type TestApp, testDatabases } from '../testing/test-app.js';
import { CatalogRepository } from './catalog.repository.js';

/**
 * The booking check's hot path (`AvailabilityService.check`): one statement reads the catalog's
 * freshness and the bay's bookings near the slot, and can carry the guest's customer upsert.
 */
describe.each(testDatabases())('booking check on %s', (kind) => {
  let t: TestApp;
  let f: FacilityFixture;

  beforeAll(async () => {
    t = await createTestApp(kind);
    f = await createFacility(t, { bays: 2, bufferMinutes: 30 });
  });
  afterAll(async () => t?.close());

  const book = (bay: number, day: number, hour: number, email: string) =>
    t.request({
      method: 'POST',
      url: '/api/v1/bookings',
      payload: {
        simulator_id: f.bayIds[bay],
        start_time: utcSlot(day, hour),
        duration: 60,
        customer: { email },
      },
    });

  const check = (bay: number, day: number, hour: number) =>
    t.app.services.availability.check(f.bayIds[bay]!, Date.parse(utcSlot(day, hour)), 60);

  it('reads only the bookings within the bay buffer of the slot, and still refuses inside the buffer', async () => {
    expect((await book(0, 3, 10, 'near@example.com')).statusCode).toBe(201);
    // 12:00 is 60 min after the 10:00–11:00 booking, more than the 30 min buffer: not even read.
    const far = await check(0, 3, 12);
    expect(far.check.ok).toBe(true);
    expect(far.input.busy).toEqual([]);
    expect(far.input.bays.map((b) => b.id)).toEqual([f.bayIds[0]]);
    // 11:00 is within the buffer: read, and refused.
    const near = await check(0, 3, 11);
    expect(near.check.ok).toBe(false);
    expect(near.check.ok ? null : near.check.reason).toBe('conflict');
    expect(near.input.busy).toHaveLength(1);
  });

  it('a longer buffer logged since the catalog was cached widens the read at once', async () => {
    expect((await book(1, 4, 10, 'buffer@example.com')).statusCode).toBe(201);
    // The desk lengthens bay 2's buffer to 90 min (rows and change-log entry in one transaction).
    await t.app.db.transaction(async (tx) => {
      await tx.execute(
        sql`UPDATE availability_rules SET buffer_time = 90 WHERE simulator_id = ${f.bayIds[1]!}::uuid`,
      );
      await t.app.services.changeLog.append(tx, f.facilityId, 'availability_rule', 'upsert', f.bayIds[1]!, {
        simulator_id: f.bayIds[1],
      });
    });
    // 12:00 is 60 min after the booking: free with the cached 30 min buffer, taken with 90.
    const result = await check(1, 4, 12);
    expect(result.check.ok ? null : result.check.reason).toBe('conflict');
  });

  it("carries a guest's customer upsert in the read's statement once the catalog is cached", async () => {
    expect((await check(0, 5, 9)).check.ok).toBe(true); // the catalog is cached now
    const upsert = vi.spyOn(BookingRepository.prototype, 'upsertGuestCustomer');
    try {
      const res = await book(0, 5, 9, 'Rider@Example.com');
      expect(res.statusCode, res.body).toBe(201);
      expect(upsert).not.toHaveBeenCalled();
      const customer = (await t.app.db.execute(
        sql`SELECT id FROM customers WHERE email = 'rider@example.com'`,
      )) as unknown as { rows: { id: string }[] };
      expect(res.json().customer_id).toBe(customer.rows[0]!.id);
      // The same guest again: the same record, details kept.
      const again = await book(1, 5, 9, 'rider@example.com');
      expect(again.json().customer_id).toBe(customer.rows[0]!.id);
    } finally {
      upsert.mockRestore();
    }
  });

  const guest = (email: string) => ({ email, firstName: null, lastName: null, phone: null });

  it('checks that arrive together share one read; a repeated guest email is read on its own', async () => {
    expect((await book(0, 8, 10, 'busy@example.com')).statusCode).toBe(201);
    expect((await check(1, 8, 9)).check.ok).toBe(true); // the catalog is cached
    const readBays = vi.spyOn(CatalogRepository.prototype, 'readBays');
    try {
      const at = (hour: number) => Date.parse(utcSlot(8, hour));
      const { availability } = t.app.services;
      const [a, b, c] = await Promise.all([
        availability.check(f.bayIds[0]!, at(11), 60, { guest: guest('together-a@example.com') }),
        availability.check(f.bayIds[1]!, at(11), 60, { guest: guest('together-b@example.com') }),
        availability.check(f.bayIds[1]!, at(14), 60, { guest: guest('together-a@example.com') }),
      ]);
      expect(readBays.mock.calls.map((call) => call[2].length)).toEqual([2, 1]);
      // Each check got its own bay's bookings: the first bay's 10:00 is within the buffer of its 11:00.
      expect(a!.check.ok ? null : a!.check.reason).toBe('conflict');
      expect(b!.check.ok).toBe(true);
      expect(c!.check.ok).toBe(true);
      expect(a!.guest?.id).toBeDefined();
      expect(c!.guest?.id).toBe(a!.guest?.id);
      expect(b!.guest?.id).not.toBe(a!.guest?.id);
    } finally {
      readBays.mockRestore();
    }
  });

  it("a batch the database refuses is read again check by check: one check's error is its own", async () => {
    const at = Date.parse(utcSlot(9, 10));
    const { availability } = t.app.services;
    const tooLong = `${'x'.repeat(260)}@example.com`; // longer than customers.email allows
    expect((await check(1, 9, 9)).check.ok).toBe(true); // the catalog is cached
    const [bad, good] = await Promise.allSettled([
      availability.check(f.bayIds[0]!, at, 60, { guest: guest(tooLong) }),
      availability.check(f.bayIds[1]!, at, 60, { guest: guest('fine@example.com') }),
    ]);
    expect(bad.status).toBe('rejected');
    expect(sqlState((bad as PromiseRejectedResult).reason)).toBe('22001');
    expect(good.status).toBe('fulfilled');
    expect((good as PromiseFulfilledResult<{ guest?: { id: string } }>).value.guest?.id).toBeDefined();
  });
});
