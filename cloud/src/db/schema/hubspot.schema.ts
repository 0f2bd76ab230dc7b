import { sql } from 'drizzle-orm';
import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { tstz } from './facilities.schema.js';
import { customers } from './people.schema.js';

/**
 * HubSpot sync work items (owned by `src/hubspot/`, docs/decisions/009-external-systems-never-block.md):
 * the sync worker turns each `hubspot_outbox` event into the operations it needs (contact upsert,
 * note, deal), one row per operation, so each has its own state, attempts, error and the HubSpot id
 * it produced (the record that makes a retry idempotent).
 */
export const hubspotSyncItems = pgTable(
  'hubspot_sync_items',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** contact.upsert | note.create | deal.sync */
    kind: varchar('kind', { length: 30 }).notNull(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    /**
     * No foreign key: bookings are keyed by (facility_id, id) and this queue spans facilities
     * (docs/decisions/019-sharding-by-facility.md); items exist only for confirmed bookings, never deleted.
     */
    bookingId: uuid('booking_id'),
    /**
     * `note:<booking>:<event>` or `deal:<booking>:<event>`: an event fanned out twice yields one note.
     * Contacts have none: at most one pending contact item per customer (partial unique index).
     */
    eventKey: varchar('event_key', { length: 200 }).unique(),
    /** { event, occurred_at } for notes and deals. */
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    /** pending | done | failed */
    status: varchar('status', { length: 20 }).notNull().default('pending'),
    /** Bumped by each change to a pending contact's customer: an upsert in flight meanwhile is sent again. */
    revision: integer('revision').notNull().default(0),
    /** Sends HubSpot did not refuse with a rate limit. */
    attempts: integer('attempts').notNull().default(0),
    /** Failures that lead to `failed` (dead letter, retried by hand) after the configured maximum. */
    failures: integer('failures').notNull().default(0),
    /**
     * Also the claim lease: a claimed item is pushed into the future, so a crashed worker's items
     * come due again by themselves.
     */
    nextAttemptAt: tstz('next_attempt_at').notNull().defaultNow(),
    lastAttemptAt: tstz('last_attempt_at'),
    lastError: text('last_error'),
    hubspotId: varchar('hubspot_id', { length: 64 }),
    /** created | updated | adopted (found after an ambiguous failure) | skipped */
    result: varchar('result', { length: 20 }),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
    doneAt: tstz('done_at'),
  },
  (t) => [
    index('idx_hubspot_sync_items_due').on(t.status, t.nextAttemptAt),
    index('idx_hubspot_sync_items_customer').on(t.customerId, t.status),
    uniqueIndex('uq_hubspot_sync_items_pending_contact')
      .on(t.customerId)
      .where(sql`kind = 'contact.upsert' AND status = 'pending'`),
  ],
);
