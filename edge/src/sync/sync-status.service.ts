import type { EdgeDatabase } from '../db/database.js';
import type { LinkState } from './link-state.js';
import { outboxDepth } from './outbox.repository.js';
import { readSyncState } from './replica.repository.js';

export interface SyncStatus {
  /** 'disabled': no CLOUD_URL configured; the edge sells only what the offline rule allows. */
  state: 'online' | 'offline' | 'disabled';
  cursor: number;
  cloud_head: number;
  /** Changes the edge knows it has not applied yet (head − cursor as of the last answer). */
  lag_changes: number;
  /** Milliseconds since the edge last heard everything the cloud had; null if never. */
  lag_ms: number | null;
  last_successful_pull: string | null;
  snapshot_loaded_at: string | null;
  outbox_pending: number;
  outbox_rejected: number;
  last_error: string | null;
}

const iso = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

/**
 * Honest sync health for the LAN API (docs/architecture.md, health is honest): offline shows as offline with
 * the age of the replica, never stale-as-fresh.
 */
export function syncStatus(database: EdgeDatabase, link: LinkState | null, now: number): SyncStatus {
  const state = readSyncState(database.db);
  const depth = outboxDepth(database.db);
  const last = state?.last_successful_pull ?? null;
  return {
    state: link === null ? 'disabled' : link.online ? 'online' : 'offline',
    cursor: state?.cursor ?? 0,
    cloud_head: state?.cloud_head ?? 0,
    lag_changes: Math.max(0, (state?.cloud_head ?? 0) - (state?.cursor ?? 0)),
    lag_ms: last === null ? null : Math.max(0, now - last),
    last_successful_pull: iso(last),
    snapshot_loaded_at: iso(state?.snapshot_loaded_at),
    outbox_pending: depth.pending,
    outbox_rejected: depth.rejected,
    last_error: link?.lastError ?? null,
  };
}
