import { bigint, index, integer, jsonb, pgTable, primaryKey, text, uuid, varchar } from 'drizzle-orm/pg-core';
import { facilities, tstz } from './facilities.schema.js';

/**
 * Per-facility change log (docs/decisions/004-change-feed.md). `seq` is gap-free and commit-ordered per
 * facility: a writer takes the next number from `change_cursors` with
 * `UPDATE … SET last_seq = last_seq + 1 RETURNING`, whose row lock is held until commit, so an
 * edge reading `after=n` can never miss a row that commits later with a smaller number.
 */
export const changeCursors = pgTable('change_cursors', {
  facilityId: uuid('facility_id')
    .primaryKey()
    .references(() => facilities.id),
  lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
  /** Entries with seq <= compacted_through were removed; an edge behind this loads a snapshot. */
  compactedThrough: bigint('compacted_through', { mode: 'number' }).notNull().default(0),
});

export const changeLog = pgTable(
  'change_log',
  {
    facilityId: uuid('facility_id')
      .notNull()
      .references(() => facilities.id),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    /** `ChangeEntity` of @clubos/shared/sync: booking, bay, closure, revocation, … */
    entity: varchar('entity', { length: 30 }).notNull(),
    /** upsert | delete */
    op: varchar('op', { length: 10 }).notNull(),
    entityId: varchar('entity_id', { length: 128 }).notNull(),
    /** The entity's full row for an upsert (applied as a replace); null for a delete. */
    data: jsonb('data'),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.facilityId, t.seq] })],
);

// One edge node per facility (or more, e.g. a spare). The key is shown once; only its SHA-256
// is stored. `key_prefix` makes the lookup an index hit.
export const edgeNodes = pgTable(
  'edge_nodes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    facilityId: uuid('facility_id')
      .notNull()
      .references(() => facilities.id),
    name: varchar('name', { length: 255 }).notNull(),
    keyPrefix: varchar('key_prefix', { length: 16 }).notNull(),
    keyHash: varchar('key_hash', { length: 64 }).notNull().unique(),
    lastSeenAt: tstz('last_seen_at'),
    lastPulledSeq: bigint('last_pulled_seq', { mode: 'number' }),
    revokedAt: tstz('revoked_at'),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [index('idx_edge_nodes_prefix').on(t.keyPrefix)],
);

// Events uploaded by edges (check-ins, door decisions, device health, walk-ins), deduplicated by
// the edge-generated `event_id` (docs/decisions/003 and 005).
export const edgeEvents = pgTable(
  'edge_events',
  {
    eventId: uuid('event_id').primaryKey(),
    edgeId: uuid('edge_id')
      .notNull()
      .references(() => edgeNodes.id),
    facilityId: uuid('facility_id')
      .notNull()
      .references(() => facilities.id),
    type: varchar('type', { length: 50 }).notNull(),
    occurredAt: tstz('occurred_at').notNull(),
    payload: jsonb('payload').notNull(),
    receivedAt: tstz('received_at').notNull().defaultNow(),
  },
  (t) => [index('idx_edge_events_facility').on(t.facilityId, t.occurredAt)],
);

// HubSpot outbox (docs/decisions/009-external-systems-never-block.md): rows are written in the booking's
// transaction and sent by a worker with retries; a booking never waits on HubSpot.
export const hubspotOutbox = pgTable(
  'hubspot_outbox',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** contact.upsert | deal.upsert | … */
    kind: varchar('kind', { length: 50 }).notNull(),
    aggregateId: uuid('aggregate_id').notNull(),
    payload: jsonb('payload').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: tstz('next_attempt_at').notNull().defaultNow(),
    lastError: text('last_error'),
    doneAt: tstz('done_at'),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [index('idx_hubspot_outbox_due').on(t.doneAt, t.nextAttemptAt)],
);
