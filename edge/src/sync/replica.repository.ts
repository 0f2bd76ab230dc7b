import { BOOKING_TRANSITIONS, type BookingStatus } from '@clubos/shared/booking';
import type { ChangeEntity } from '@clubos/shared/sync';
import { eq, getTableColumns, getTableName, inArray } from 'drizzle-orm';
import type { Drizzle } from '../db/database.js';
import {
  availabilityRules,
  bays,
  bookings,
  closures,
  customers,
  facility,
  pricingRules,
  revocations,
  syncState,
} from '../db/schema.js';

/**
 * Writes to the replica tables. Every function here is synchronous and runs inside the caller's
 * `BEGIN IMMEDIATE` transaction (the apply of one batch and its cursor commit together).
 */

export type FacilityRow = typeof facility.$inferInsert;
export type BayRow = typeof bays.$inferInsert;
export type AvailabilityRuleRow = typeof availabilityRules.$inferInsert;
export type PricingRuleRow = typeof pricingRules.$inferInsert;
export type ClosureRow = typeof closures.$inferInsert;
export type BookingRow = typeof bookings.$inferInsert;
export type RevocationRow = typeof revocations.$inferInsert;
export type SyncStateRow = typeof syncState.$inferSelect;

/** The feed's entities (`@clubos/shared/sync` CHANGE_ENTITIES) → the replica table each lands in. */
export const REPLICA_TABLES = {
  facility,
  bay: bays,
  availability_rule: availabilityRules,
  pricing_rule: pricingRules,
  closure: closures,
  booking: bookings,
  revocation: revocations,
  customer: customers,
} as const satisfies Record<ChangeEntity, unknown>;
export type ReplicaEntity = keyof typeof REPLICA_TABLES;

/** Columns the edge owns on a booking row: the feed never overwrites a walk-in's local outcome. */
const LOCAL_BOOKING_COLUMNS = new Set([
  'reconciliation',
  'reconciliation_note',
  'original_simulator_id',
  'created_at',
]);

/**
 * `incoming>local` status pairs where the local status lies further along the status machine than
 * the incoming one (reachable from it): such a feed row is older than what the edge already knows
 * (a snapshot overlapping the feed, or a cloud edit made before the edge's check-in reached it), so
 * the local status and check-in time are kept. The check-in's outbox event brings the cloud along.
 */
export const STALE_STATUS_PAIRS: readonly string[] = (() => {
  const pairs: string[] = [];
  const statuses = Object.keys(BOOKING_TRANSITIONS) as BookingStatus[];
  for (const from of statuses) {
    const seen = new Set<BookingStatus>();
    const queue = [...BOOKING_TRANSITIONS[from]];
    while (queue.length > 0) {
      const next = queue.shift()!;
      if (seen.has(next)) continue;
      seen.add(next);
      pairs.push(`${from}>${next}`);
      queue.push(...BOOKING_TRANSITIONS[next]);
    }
  }
  return pairs;
})();

/** The SET expressions that keep the furthest-along status of a booking (see STALE_STATUS_PAIRS). */
function bookingUpdate(column: string, table: string): string | null {
  const stale = `(excluded."status" || '>' || "${table}"."status") IN (${STALE_STATUS_PAIRS.map((p) => `'${p}'`).join(', ')})`;
  if (column === 'status')
    return `"status" = CASE WHEN ${stale} THEN "${table}"."status" ELSE excluded."status" END`;
  if (column === 'check_in_time') {
    return `"check_in_time" = CASE WHEN ${stale} THEN COALESCE(excluded."check_in_time", "${table}"."check_in_time") ELSE excluded."check_in_time" END`;
  }
  return null;
}

interface UpsertStatement {
  run(values: Record<string, unknown>): unknown;
}

/**
 * One prepared `INSERT … ON CONFLICT(id) DO UPDATE` per entity and column set, reused for every row:
 * building and compiling the statement per row made the apply ~50× slower than SQLite itself (the
 * 50,000-change catch-up must run above 10,000 changes/s). Only the row's own columns are updated,
 * and never the columns the edge owns on a booking (its walk-in outcome).
 */
const statements = new WeakMap<Drizzle, Map<string, UpsertStatement>>();

function upsertStatement(db: Drizzle, entity: ReplicaEntity, keys: string[]): UpsertStatement {
  let cache = statements.get(db);
  if (cache === undefined) {
    cache = new Map();
    statements.set(db, cache);
  }
  const cacheKey = `${entity}|${keys.join(',')}`;
  const cached = cache.get(cacheKey);
  if (cached !== undefined) return cached;
  const table = REPLICA_TABLES[entity];
  const columns = getTableColumns(table) as Record<string, { name: string }>;
  const name = (key: string) => `"${columns[key]!.name}"`;
  const skip = entity === 'booking' ? LOCAL_BOOKING_COLUMNS : NO_SKIP;
  const tableName = getTableName(table);
  const hasStatus = entity === 'booking' && keys.includes('status');
  const updates = keys
    .filter((k) => k !== 'id' && !skip.has(k))
    .map(
      (k) =>
        (hasStatus ? bookingUpdate(columns[k]!.name, tableName) : null) ?? `${name(k)} = excluded.${name(k)}`,
    );
  const text =
    `INSERT INTO "${tableName}" (${keys.map(name).join(', ')}) VALUES (${keys.map((k) => `@${k}`).join(', ')}) ` +
    `ON CONFLICT("id") DO ${updates.length === 0 ? 'NOTHING' : `UPDATE SET ${updates.join(', ')}`}`;
  const statement = db.$client.prepare(text);
  cache.set(cacheKey, statement);
  return statement;
}

/** JS values → what SQLite stores for drizzle's column modes (boolean → 0/1, json → text). */
function toDriver(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return value === undefined ? null : value;
}

const NO_SKIP = new Set<string>();

const COLUMN_SETS = new Map<ReplicaEntity, Set<string>>(
  (Object.keys(REPLICA_TABLES) as ReplicaEntity[]).map((e) => [
    e,
    new Set(Object.keys(getTableColumns(REPLICA_TABLES[e]))),
  ]),
);

export function upsertReplicaRow(
  db: Drizzle,
  entity: ReplicaEntity,
  row: { id: string } & Record<string, unknown>,
): void {
  const columns = COLUMN_SETS.get(entity)!;
  const keys: string[] = [];
  const values: Record<string, unknown> = {};
  for (const k in row) {
    if (!columns.has(k)) continue;
    keys.push(k);
    values[k] = toDriver(row[k]);
  }
  upsertStatement(db, entity, keys).run(values);
}

export function deleteReplicaRow(db: Drizzle, entity: ReplicaEntity, id: string): void {
  const table = REPLICA_TABLES[entity] as typeof bays;
  db.delete(table).where(eq(table.id, id)).run();
}

/**
 * Drops everything the cloud owns before a snapshot is loaded. Walk-ins sold here and not yet in the
 * cloud (`origin = 'edge'`) stay: they live in the outbox too and the cloud has not seen them.
 */
export function clearReplica(db: Drizzle): void {
  for (const entity of Object.keys(REPLICA_TABLES) as ReplicaEntity[]) {
    if (entity === 'booking') continue;
    db.delete(REPLICA_TABLES[entity]).run();
  }
  db.delete(bookings).where(eq(bookings.origin, 'cloud')).run();
}

export interface LocalStatus {
  id: string;
  status: string;
  check_in_time: number | null;
}

/** The statuses of the cloud's bookings as the edge knows them (read before a snapshot replaces them). */
export function cloudBookingStatuses(db: Drizzle): LocalStatus[] {
  return db.$client
    .prepare("SELECT id, status, check_in_time FROM bookings WHERE origin = 'cloud'")
    .all() as LocalStatus[];
}

/**
 * Puts back a status the edge had reached when the row now stored is older (STALE_STATUS_PAIRS):
 * a snapshot must not undo a local check-in whose event the cloud has not applied yet.
 */
export function keepFurthestStatuses(db: Drizzle, known: LocalStatus[]): void {
  const pairs = STALE_STATUS_PAIRS.map((p) => `'${p}'`).join(', ');
  const restore = db.$client.prepare(
    `UPDATE bookings SET status = @status, check_in_time = COALESCE(check_in_time, @check_in_time) WHERE id = @id AND (status || '>' || @status) IN (${pairs})`,
  );
  for (const row of known) restore.run(row);
}

export function readSyncState(db: Drizzle): SyncStateRow | undefined {
  return db.select().from(syncState).where(eq(syncState.id, 1)).get();
}

export function writeSyncState(db: Drizzle, values: Omit<Partial<SyncStateRow>, 'id'>): void {
  db.insert(syncState)
    .values({ id: 1, cursor: 0, cloud_head: 0, ...values })
    .onConflictDoUpdate({ target: syncState.id, set: values })
    .run();
}

export function bookingIdsPresent(db: Drizzle, ids: string[]): Set<string> {
  if (ids.length === 0) return new Set();
  const rows = db.select({ id: bookings.id }).from(bookings).where(inArray(bookings.id, ids)).all();
  return new Set(rows.map((r) => r.id));
}
