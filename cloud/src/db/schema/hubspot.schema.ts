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
import { bookings } from './bookings.schema.js';
import { tstz } from './facilities.schema.js';
import { customers } from './people.schema.js';

/**
 * HubSpot sync work items (owned by `src/hubspot/`). Producers write *events* to
 * `hubspot_outbox` in their own transactions; the sync worker turns each event into the HubSpot
 * operations it needs (contact upsert, note, deal) here, one row per operation, so every
 * operation has its own state, attempts, error and the HubSpot id it produced (the record that
 * makes a retry idempotent).
 *
 * - `event_key` is unique (`note:<booking>:<event>`, `deal:<booking>:<event>`): an event fanned
 *   out twice yields one note. Contacts have no key: at most one *pending* contact item exists
 *   per customer (partial unique index), and a new change bumps its `revision` so an upsert that
 *   was in flight while the customer changed is sent again.
 * - `attempts` counts sends HubSpot did not refuse with a rate limit; `failures` counts the
 *   failures that lead to `failed` (dead letter, retried by hand) after the configured maximum.
 * - `next_attempt_at` doubles as the claim lease: a claimed item is pushed into the future, so a
 *   crashed worker's items become due again by themselves.
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
    bookingId: uuid('booking_id').references(() => bookings.id, { onDelete: 'cascade' }),
    eventKey: varchar('event_key', { length: 200 }).unique(),
    /** { event, occurred_at } for notes and deals. */
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    /** pending | done | failed */
    status: varchar('status', { length: 20 }).notNull().default('pending'),
    revision: integer('revision').notNull().default(0),
    attempts: integer('attempts').notNull().default(0),
    failures: integer('failures').notNull().default(0),
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
