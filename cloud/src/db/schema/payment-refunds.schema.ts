import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { tstz } from './facilities.schema.js';
import { refunds } from './payments.schema.js';
import { users } from './people.schema.js';

/**
 * Refunds still to send to Stripe (owned by `src/payments/refund-outbox.*`): written in the
 * transaction that decides the refund (a cancellation, a reschedule, staff), so a refund survives
 * Stripe being down and a restart; retried with the refund's own idempotency key until Stripe answers.
 */
export const refundOutbox = pgTable(
  'refund_outbox',
  {
    refundId: uuid('refund_id').notNull(),
    facilityId: uuid('facility_id').notNull(),
    bookingId: uuid('booking_id').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: tstz('next_attempt_at').notNull().defaultNow(),
    lastError: text('last_error'),
    /** When Stripe gave an answer (success or refusal): the row is done. */
    sentAt: tstz('sent_at'),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.facilityId, t.refundId] }),
    foreignKey({ columns: [t.facilityId, t.refundId], foreignColumns: [refunds.facilityId, refunds.id] }),
    index('idx_refund_outbox_due').on(t.nextAttemptAt).where(sql`${t.sentAt} IS NULL`),
  ],
);

/** A refund amount staff chose instead of the policy's: who, when, why, how much. */
export const refundOverrides = pgTable(
  'refund_overrides',
  {
    id: uuid('id').notNull().defaultRandom(),
    facilityId: uuid('facility_id').notNull(),
    bookingId: uuid('booking_id').notNull(),
    actorUserId: uuid('actor_user_id')
      .notNull()
      .references(() => users.id),
    /** What the cancellation policy gave. */
    policyCents: integer('policy_cents').notNull(),
    amountCents: integer('amount_cents').notNull(),
    reason: text('reason').notNull(),
    /** cancel (more kinds may follow) */
    kind: varchar('kind', { length: 20 }).notNull().default('cancel'),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.facilityId, t.id] }),
    index('idx_refund_overrides_booking').on(t.bookingId),
    check('refund_override_amounts', sql`${t.policyCents} >= 0 AND ${t.amountCents} >= 0`),
  ],
);
