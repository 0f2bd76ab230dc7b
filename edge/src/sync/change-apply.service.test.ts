import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database.js';
import { applyChangeBatch, loadSnapshot, type ReplicaChange } from './change-apply.service.js';
import { readSyncState } from './replica.repository.js';

const FACILITY = randomUUID();
const BAY = randomUUID();

function bayChange(seq: number, name: string): ReplicaChange {
  return {
    seq,
    entity: 'bay',
    op: 'upsert',
    id: BAY,
    row: { id: BAY, facility_id: FACILITY, name, hourly_rate_cents: 4000, status: 'active' },
  };
}

function bookingRow(id: string, origin: 'cloud' | 'edge') {
  return {
    id,
    facility_id: FACILITY,
    simulator_id: BAY,
    reference_code: id.slice(0, 6),
    start_time: 1_000,
    end_time: 2_000,
    duration: 1,
    status: 'confirmed',
    price_cents: 0,
    origin,
    created_at: 1,
    updated_at: 1,
  };
}

const bayName = (db: ReturnType<typeof openDatabase>) =>
  (db.sqlite.prepare('SELECT name FROM bays WHERE id = ?').get(BAY) as { name: string } | undefined)?.name;

describe('applyChangeBatch', () => {
  it('is exactly-once: the same batch delivered twice changes nothing the second time', () => {
    const db = openDatabase(':memory:');
    const batch = [bayChange(1, 'Bay A'), bayChange(2, 'Bay B')];
    const pull = { head: 2, requestedAt: 100, caughtUp: true, lastSeq: 2 };
    expect(applyChangeBatch(db, batch, pull)).toEqual({ applied: 2, skipped: 0, cursor: 2 });
    // A later change lands, then the old batch is redelivered (a retried response).
    applyChangeBatch(db, [bayChange(3, 'Bay C')], { head: 3, requestedAt: 200, caughtUp: true, lastSeq: 3 });
    const before = db.sqlite.prepare('SELECT * FROM sync_state').get();
    expect(applyChangeBatch(db, batch, pull)).toEqual({ applied: 0, skipped: 2, cursor: 3 });
    // Without the cursor guard the replay would have put "Bay B" back over "Bay C".
    expect(bayName(db)).toBe('Bay C');
    expect(db.sqlite.prepare('SELECT * FROM sync_state').get()).toEqual(before);
    expect(readSyncState(db.db)?.changes_applied).toBe(3);
    db.close();
  });

  it('rolls back the rows when the batch fails half-way, leaving the cursor where it was', () => {
    const db = openDatabase(':memory:');
    const broken: ReplicaChange = { ...bayChange(2, 'x'), row: { id: BAY } }; // missing NOT NULL columns
    expect(() =>
      applyChangeBatch(db, [bayChange(1, 'Bay A'), broken], { head: 2, requestedAt: 1, caughtUp: true }),
    ).toThrow();
    expect(bayName(db)).toBeUndefined();
    expect(readSyncState(db.db)).toBeUndefined();
    db.close();
  });

  it('moves last_successful_pull only when caught up, to the time the request was sent', () => {
    const db = openDatabase(':memory:');
    applyChangeBatch(db, [bayChange(1, 'A')], { head: 5, requestedAt: 1_000, caughtUp: false, lastSeq: 1 });
    expect(readSyncState(db.db)?.last_successful_pull ?? null).toBeNull();
    applyChangeBatch(db, [bayChange(5, 'B')], { head: 5, requestedAt: 2_000, caughtUp: true, lastSeq: 5 });
    expect(readSyncState(db.db)?.last_successful_pull).toBe(2_000);
    db.close();
  });

  it('applies a cloud booking whose reference code a local walk-in already uses (no stall)', () => {
    const db = openDatabase(':memory:');
    const local = { ...bookingRow(randomUUID(), 'edge'), reference_code: 'ABC234' };
    db.sqlite
      .prepare(
        'INSERT INTO bookings (id, facility_id, simulator_id, reference_code, start_time, end_time, duration, status, price_cents, origin, created_at, updated_at) VALUES (@id, @facility_id, @simulator_id, @reference_code, @start_time, @end_time, @duration, @status, @price_cents, @origin, @created_at, @updated_at)',
      )
      .run(local);
    const cloudId = randomUUID();
    const row = { ...bookingRow(cloudId, 'cloud'), reference_code: 'ABC234' };
    expect(
      applyChangeBatch(db, [{ seq: 1, entity: 'booking', op: 'upsert', id: cloudId, row }], {
        head: 1,
        requestedAt: 1,
        caughtUp: true,
      }).cursor,
    ).toBe(1);
    db.close();
  });

  it('moves the cursor past entries the edge does not replicate', () => {
    const db = openDatabase(':memory:');
    applyChangeBatch(db, [bayChange(1, 'A')], { head: 4, requestedAt: 1, caughtUp: true, lastSeq: 4 });
    expect(readSyncState(db.db)?.cursor).toBe(4);
    db.close();
  });
});

describe('a stale feed row after a local check-in', () => {
  const booking = (id: string, seq: number, status: string, extra: Record<string, unknown> = {}) =>
    ({
      seq,
      entity: 'booking',
      op: 'upsert',
      id,
      row: { ...bookingRow(id, 'cloud'), status, check_in_time: null, ...extra },
    }) as ReplicaChange;
  const statusOf = (db: ReturnType<typeof openDatabase>, id: string) =>
    db.sqlite.prepare('SELECT status, check_in_time, customer_name FROM bookings WHERE id = ?').get(id);
  const checkInLocally = (db: ReturnType<typeof openDatabase>, id: string) =>
    db.sqlite.prepare("UPDATE bookings SET status = 'checked_in', check_in_time = 1500 WHERE id = ?").run(id);

  it('keeps the local check-in when an older version of the booking arrives from the feed', () => {
    const db = openDatabase(':memory:');
    const id = randomUUID();
    applyChangeBatch(db, [booking(id, 1, 'confirmed')], { head: 1, requestedAt: 1, caughtUp: true });
    checkInLocally(db, id);
    // The cloud edited the booking (a name) before the check-in event reached it: its row says confirmed.
    applyChangeBatch(db, [booking(id, 2, 'confirmed', { customer_name: 'Sam' })], {
      head: 2,
      requestedAt: 2,
      caughtUp: true,
    });
    expect(statusOf(db, id)).toEqual({ status: 'checked_in', check_in_time: 1500, customer_name: 'Sam' });
    // Moving on from checked_in (completed) and the cloud's own check-in time are taken as they come.
    applyChangeBatch(db, [booking(id, 3, 'completed', { check_in_time: 1400 })], {
      head: 3,
      requestedAt: 3,
      caughtUp: true,
    });
    expect(statusOf(db, id)).toMatchObject({ status: 'completed', check_in_time: 1400 });
    db.close();
  });

  it('still applies a cancellation (not behind a check-in in the status machine)', () => {
    const db = openDatabase(':memory:');
    const id = randomUUID();
    applyChangeBatch(db, [booking(id, 1, 'confirmed')], { head: 1, requestedAt: 1, caughtUp: true });
    applyChangeBatch(db, [booking(id, 2, 'cancelled')], { head: 2, requestedAt: 2, caughtUp: true });
    expect(statusOf(db, id)).toMatchObject({ status: 'cancelled' });
    db.close();
  });

  it('keeps the local check-in across a snapshot that predates it', () => {
    const db = openDatabase(':memory:');
    const id = randomUUID();
    applyChangeBatch(db, [booking(id, 1, 'confirmed')], { head: 1, requestedAt: 1, caughtUp: true });
    checkInLocally(db, id);
    loadSnapshot(
      db,
      { facilityId: FACILITY, seq: 9, rows: [{ entity: 'booking', row: booking(id, 0, 'confirmed').row! }] },
      10,
    );
    expect(statusOf(db, id)).toMatchObject({ status: 'checked_in', check_in_time: 1500 });
    db.close();
  });
});

describe('loadSnapshot', () => {
  it('replaces cloud rows but keeps walk-ins the cloud has not seen yet', () => {
    const db = openDatabase(':memory:');
    const cloudId = randomUUID();
    const walkInId = randomUUID();
    applyChangeBatch(
      db,
      [
        bayChange(1, 'Old'),
        { seq: 2, entity: 'booking', op: 'upsert', id: cloudId, row: bookingRow(cloudId, 'cloud') },
      ],
      { head: 2, requestedAt: 1, caughtUp: true },
    );
    db.sqlite
      .prepare(
        "INSERT INTO bookings (id, facility_id, simulator_id, reference_code, start_time, end_time, duration, status, price_cents, origin, created_at, updated_at) VALUES (?, ?, ?, 'WALKIN', 1, 2, 1, 'confirmed', 0, 'edge', 1, 1)",
      )
      .run(walkInId, FACILITY, BAY);
    loadSnapshot(
      db,
      { facilityId: FACILITY, seq: 40, rows: [{ entity: 'bay', row: bayChange(0, 'New').row! }] },
      5_000,
    );
    const ids = (db.sqlite.prepare('SELECT id FROM bookings').all() as { id: string }[]).map((r) => r.id);
    expect(ids).toEqual([walkInId]);
    expect(bayName(db)).toBe('New');
    expect(readSyncState(db.db)).toMatchObject({
      cursor: 40,
      cloud_head: 40,
      facility_id: FACILITY,
      last_successful_pull: 5_000,
    });
    db.close();
  });
});
