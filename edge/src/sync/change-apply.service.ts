import type { EdgeDatabase } from '../db/database.js';
import {
  clearReplica,
  cloudBookingStatuses,
  deleteReplicaRow,
  keepFurthestStatuses,
  type ReplicaEntity,
  readSyncState,
  upsertReplicaRow,
  writeSyncState,
} from './replica.repository.js';

/** One change-feed entry, already mapped from the wire message to a replica row. */
export interface ReplicaChange {
  seq: number;
  entity: ReplicaEntity;
  op: 'upsert' | 'delete';
  id: string;
  /** The full row for an upsert; null for a delete. */
  row: ({ id: string } & Record<string, unknown>) | null;
}

export interface PullOutcome {
  /** The cloud's newest seq for this facility when it answered. */
  head: number;
  /** When the request that produced this batch was sent (see `last_successful_pull`). */
  requestedAt: number;
  /** True when the batch reaches the head: the edge has now heard everything the cloud had. */
  caughtUp: boolean;
  /** The batch's last seq, which may belong to an entry the edge does not replicate. */
  lastSeq?: number;
}

export interface ApplyResult {
  applied: number;
  skipped: number;
  cursor: number;
}

function applyOne(database: EdgeDatabase, change: ReplicaChange): void {
  if (change.op === 'delete' || change.row === null) deleteReplicaRow(database.db, change.entity, change.id);
  else upsertReplicaRow(database.db, change.entity, change.row);
}

/**
 * Applies a batch and moves the cursor in ONE synchronous `BEGIN IMMEDIATE` transaction, so a crash
 * leaves either both or neither (docs/decisions/004-change-feed.md). Entries at or below the stored cursor
 * are skipped: the same batch delivered twice (a retry after a lost response, a restart) changes nothing.
 *
 * `last_successful_pull` moves only when the edge is caught up, and to the time the request was SENT:
 * everything the cloud sold before that instant is in this answer, which is what the offline
 * walk-in horizon (docs/decisions/006-who-sells-which-time.md) relies on.
 */
export function applyChangeBatch(
  database: EdgeDatabase,
  changes: ReplicaChange[],
  pull: PullOutcome,
): ApplyResult {
  return database.immediate(() => {
    const state = readSyncState(database.db);
    let cursor = state?.cursor ?? 0;
    let applied = 0;
    let skipped = 0;
    for (const change of changes) {
      if (change.seq <= cursor) {
        skipped++;
        continue;
      }
      applyOne(database, change);
      cursor = change.seq;
      applied++;
    }
    cursor = Math.max(cursor, pull.lastSeq ?? 0);
    // Never backwards: a late replay of an old answer must not make the replica look older or
    // the cloud's head look lower than we already know them to be.
    const caughtUp = pull.caughtUp && cursor >= pull.head;
    const lastPull = Math.max(state?.last_successful_pull ?? 0, caughtUp ? pull.requestedAt : 0);
    writeSyncState(database.db, {
      cursor,
      cloud_head: Math.max(pull.head, cursor, state?.cloud_head ?? 0),
      changes_applied: (state?.changes_applied ?? 0) + applied,
      last_successful_pull: lastPull === 0 ? null : lastPull,
    });
    return { applied, skipped, cursor };
  });
}

export interface ReplicaSnapshot {
  facilityId: string;
  /** The feed position the snapshot reflects: the pull loop continues with `after = seq`. */
  seq: number;
  rows: { entity: ReplicaEntity; row: { id: string } & Record<string, unknown> }[];
}

/**
 * Replaces the replica with a snapshot and sets the cursor to its seq, in one transaction. Used when
 * the edge is new or the cloud has compacted the feed past its cursor (`snapshot_required`). A
 * booking the edge had already taken further (a local check-in not yet in the cloud) keeps its status.
 */
export function loadSnapshot(database: EdgeDatabase, snapshot: ReplicaSnapshot, requestedAt: number): void {
  database.immediate(() => {
    const state = readSyncState(database.db);
    const known = cloudBookingStatuses(database.db);
    clearReplica(database.db);
    for (const { entity, row } of snapshot.rows) upsertReplicaRow(database.db, entity, row);
    keepFurthestStatuses(database.db, known);
    writeSyncState(database.db, {
      facility_id: snapshot.facilityId,
      cursor: snapshot.seq,
      cloud_head: snapshot.seq,
      snapshot_loaded_at: requestedAt,
      last_successful_pull: requestedAt,
      changes_applied: state?.changes_applied ?? 0,
    });
  });
}
