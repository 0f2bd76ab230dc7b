import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, uuid, varchar } from 'drizzle-orm/pg-core';
import { facilities, tstz } from './facilities.schema.js';

/**
 * Walk-ins paid at the venue (owned by `src/payments/`, docs/decisions/018-payments.md): the card
 * reader each facility charges on, and what walk-ins sold while the edge was offline still owe.
 */

/** The Stripe Terminal reader (`tmr_…`) a facility's kiosk and desk charge walk-ins on. */
export const facilityTerminalReaders = pgTable('facility_terminal_readers', {
  facilityId: uuid('facility_id')
    .primaryKey()
    .references(() => facilities.id, { onDelete: 'cascade' }),
  readerId: varchar('reader_id', { length: 255 }).notNull(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

/**
 * A walk-in sold offline "to collect": the amount owed, reported by the edge's outbox or by the
 * settlement itself (whichever comes first), then settled once in cash or on the reader.
 * `status`: owed | settled; `method`: cash | card; `settled_by`: `user:<id>` of the staff member.
 */
export const walkInDues = pgTable(
  'walk_in_dues',
  {
    bookingId: uuid('booking_id').notNull(),
    facilityId: uuid('facility_id')
      .notNull()
      .references(() => facilities.id),
    amountCents: integer('amount_cents').notNull(),
    currency: varchar('currency', { length: 3 }).notNull(),
    status: varchar('status', { length: 10 }).notNull().default('owed'),
    method: varchar('method', { length: 10 }),
    paymentId: uuid('payment_id'),
    settledBy: varchar('settled_by', { length: 64 }),
    settledAt: tstz('settled_at'),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.facilityId, t.bookingId] }),
    index('idx_walk_in_dues_booking').on(t.bookingId),
    index('idx_walk_in_dues_facility').on(t.facilityId, t.status),
    check('walk_in_due_amount', sql`${t.amountCents} > 0`),
    check('walk_in_due_status', sql`${t.status} IN ('owed', 'settled')`),
    check('walk_in_due_method', sql`${t.method} IS NULL OR ${t.method} IN ('cash', 'card')`),
  ],
);
