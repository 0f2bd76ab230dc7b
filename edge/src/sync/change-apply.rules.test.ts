import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type EdgeDatabase, openDatabase } from '../db/database.js';
import { applyChangeBatch, loadSnapshot, type ReplicaChange } from './change-apply.service.js';
import { readSyncState } from './replica.repository.js';

/**
 * The bookkeeping rules of applying the change feed: what the cursor, the cloud's head, the count and
 * `last_successful_pull` (the offline walk-in horizon's anchor) become after each batch.
 */
const FACILITY = randomUUID();
const BAY = randomUUID();
let db: EdgeDatabase;

const bay = (seq: number, name: string): ReplicaChange => ({
  seq,
  entity: 'bay',
  op: 'upsert',
  id: BAY,
  row: { id: BAY, facility_id: FACILITY, name, hourly_rate_cents: 4000, status: 'active' },
});
const bayName = () =>
  (db.sqlite.prepare('SELECT name FROM bays WHERE id = ?').get(BAY) as { name: string } | undefined)?.name;

beforeEach(() => {
  db = openDatabase(':memory:');
});
afterEach(() => db.close());

describe('the cursor and the cloud’s head', () => {
  it('never moves the cursor back for a batch whose lastSeq is below it', () => {
    applyChangeBatch(db, [bay(5, 'A')], { head: 5, requestedAt: 10, caughtUp: true, lastSeq: 5 });
    expect(applyChangeBatch(db, [], { head: 5, requestedAt: 20, caughtUp: true, lastSeq: 3 }).cursor).toBe(5);
    expect(readSyncState(db.db)?.cursor).toBe(5);
  });

  it('keeps the highest head heard: the answer, the cursor, or the one already stored', () => {
    applyChangeBatch(db, [bay(1, 'A')], { head: 9, requestedAt: 10, caughtUp: false, lastSeq: 1 });
    expect(readSyncState(db.db)?.cloud_head).toBe(9);
    // A late replay of an older answer does not lower it.
    applyChangeBatch(db, [], { head: 4, requestedAt: 20, caughtUp: false, lastSeq: 1 });
    expect(readSyncState(db.db)?.cloud_head).toBe(9);
    // Entries past an old head raise it to the cursor.
    applyChangeBatch(db, [bay(12, 'B')], { head: 9, requestedAt: 30, caughtUp: false, lastSeq: 12 });
    expect(readSyncState(db.db)).toMatchObject({ cursor: 12, cloud_head: 12 });
  });

  it('applies a delete, and an upsert without a row as a delete', () => {
    applyChangeBatch(db, [bay(1, 'A')], { head: 1, requestedAt: 1, caughtUp: true });
    applyChangeBatch(db, [{ seq: 2, entity: 'bay', op: 'delete', id: BAY, row: null }], {
      head: 2,
      requestedAt: 2,
      caughtUp: true,
    });
    expect(bayName()).toBeUndefined();
    applyChangeBatch(db, [bay(3, 'B')], { head: 3, requestedAt: 3, caughtUp: true });
    expect(
      applyChangeBatch(db, [{ ...bay(4, 'x'), row: null }], { head: 4, requestedAt: 4, caughtUp: true }),
    ).toEqual({ applied: 1, skipped: 0, cursor: 4 });
    expect(bayName()).toBeUndefined();
  });

  it('deletes on a delete entry even when the entry still carries the old row', () => {
    applyChangeBatch(db, [bay(1, 'A')], { head: 1, requestedAt: 1, caughtUp: true });
    applyChangeBatch(db, [{ ...bay(2, 'A'), op: 'delete' }], { head: 2, requestedAt: 2, caughtUp: true });
    expect(bayName()).toBeUndefined();
  });

  it('counts applied changes across batches and skips an entry at the cursor itself', () => {
    applyChangeBatch(db, [bay(1, 'A'), bay(2, 'B')], { head: 2, requestedAt: 1, caughtUp: true });
    expect(
      applyChangeBatch(db, [bay(2, 'stale'), bay(3, 'C')], { head: 3, requestedAt: 2, caughtUp: true }),
    ).toEqual({ applied: 1, skipped: 1, cursor: 3 });
    expect(bayName()).toBe('C');
    expect(readSyncState(db.db)?.changes_applied).toBe(3);
  });
});

describe('last_successful_pull, the anchor of the offline sale horizon', () => {
  it('stays unset while the edge has not caught up, even with a caughtUp answer short of the head', () => {
    applyChangeBatch(db, [bay(1, 'A')], { head: 3, requestedAt: 100, caughtUp: true, lastSeq: 1 });
    expect(readSyncState(db.db)?.last_successful_pull).toBeNull();
  });

  it('becomes the request time once the cursor reaches the head, and never goes back', () => {
    applyChangeBatch(db, [bay(3, 'A')], { head: 3, requestedAt: 500, caughtUp: true, lastSeq: 3 });
    expect(readSyncState(db.db)?.last_successful_pull).toBe(500);
    // A replayed older answer, caught up too, must not move the anchor back.
    applyChangeBatch(db, [bay(3, 'A')], { head: 3, requestedAt: 400, caughtUp: true, lastSeq: 3 });
    expect(readSyncState(db.db)?.last_successful_pull).toBe(500);
    // Nor does a later answer that is not caught up clear it.
    applyChangeBatch(db, [bay(4, 'B')], { head: 8, requestedAt: 600, caughtUp: false, lastSeq: 4 });
    expect(readSyncState(db.db)?.last_successful_pull).toBe(500);
  });
});

describe('a snapshot', () => {
  it('sets the cursor, head and pull to the snapshot, keeps the change count, and records when it loaded', () => {
    applyChangeBatch(db, [bay(1, 'A'), bay(2, 'B')], { head: 2, requestedAt: 1, caughtUp: true });
    loadSnapshot(
      db,
      { facilityId: FACILITY, seq: 70, rows: [{ entity: 'bay', row: bay(0, 'S').row! }] },
      9_000,
    );
    expect(readSyncState(db.db)).toMatchObject({
      facility_id: FACILITY,
      cursor: 70,
      cloud_head: 70,
      snapshot_loaded_at: 9_000,
      last_successful_pull: 9_000,
      changes_applied: 2,
    });
    expect(bayName()).toBe('S');
  });

  it('starts the change count at zero on a new edge', () => {
    loadSnapshot(db, { facilityId: FACILITY, seq: 3, rows: [] }, 1_000);
    expect(readSyncState(db.db)?.changes_applied).toBe(0);
  });
});
