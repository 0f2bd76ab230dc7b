import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, text, uuid, varchar } from 'drizzle-orm/pg-core';
import { facilities, tstz } from './facilities.schema.js';
import { customers } from './people.schema.js';

/**
 * A customer's card saved at Stripe for no-show fees (owned by `src/payments/card-on-file.*`): the
 * Stripe Customer, the setup Checkout that saves the card, and the consent text the customer was
 * shown and accepted, with when. The card itself stays at Stripe (its `pm_…` is looked up there).
 */
export const savedCards = pgTable('saved_cards', {
  customerId: uuid('customer_id')
    .primaryKey()
    .references(() => customers.id, { onDelete: 'cascade' }),
  providerCustomerId: varchar('provider_customer_id', { length: 255 }).notNull(),
  setupCheckoutId: varchar('setup_checkout_id', { length: 255 }),
  consentText: text('consent_text').notNull(),
  consentedAt: tstz('consented_at').notNull(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

/**
 * The fee of one no-show booking, charged off session on the saved card (`no-show:<booking>`);
 * written in the transaction that marks the no-show, so a fee Stripe did not answer is retried.
 * `status`: pending | succeeded | failed (declined: staff see `failure_*`) | no_card.
 */
export const noShowFees = pgTable(
  'no_show_fees',
  {
    bookingId: uuid('booking_id').notNull(),
    facilityId: uuid('facility_id')
      .notNull()
      .references(() => facilities.id),
    customerId: uuid('customer_id'),
    amountCents: integer('amount_cents').notNull(),
    currency: varchar('currency', { length: 3 }).notNull(),
    status: varchar('status', { length: 20 }).notNull().default('pending'),
    paymentId: uuid('payment_id'),
    failureCode: varchar('failure_code', { length: 100 }),
    failureMessage: text('failure_message'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: tstz('next_attempt_at').notNull().defaultNow(),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.facilityId, t.bookingId] }),
    index('idx_no_show_fees_booking').on(t.bookingId),
    index('idx_no_show_fees_facility').on(t.facilityId, t.status),
    check('no_show_fee_amount', sql`${t.amountCents} > 0`),
    check('no_show_fee_status', sql`${t.status} IN ('pending', 'succeeded', 'failed', 'no_card')`),
  ],
);
