import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  unique,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { facilities, tstz } from './facilities.schema.js';
import { users } from './people.schema.js';

/**
 * Payments (owned by `src/payments/`, docs/decisions/018-payments.md). Money is integer minor
 * units in the facility's currency. `booking_id` has no foreign key on purpose: an expired checkout
 * hold is deleted from `bookings`, and a payment that still arrives for it must be kept (and
 * refunded), not lost with the hold.
 */

/** What a facility asks customers to pay online; no row = pay at the venue. */
export const facilityPaymentPolicies = pgTable(
  'facility_payment_policies',
  {
    facilityId: uuid('facility_id')
      .primaryKey()
      .references(() => facilities.id, { onDelete: 'cascade' }),
    /** full | deposit | at_venue */
    mode: varchar('mode', { length: 20 }).notNull(),
    /** A percentage deposit in basis points, or… */
    depositBps: integer('deposit_bps'),
    /** …a fixed deposit; at most one of the two, only with mode deposit. */
    depositCents: integer('deposit_cents'),
    noShowFeeCents: integer('no_show_fee_cents').notNull().default(0),
    cardOnFileRequired: boolean('card_on_file_required').notNull().default(false),
    /** ISO 4217, lower case. */
    currency: varchar('currency', { length: 3 }).notNull().default('usd'),
    /** Walk-ins pay on the venue's card reader; the edge gets it with the facility in its feed. */
    walkInCard: boolean('walk_in_card').notNull().default(false),
    /** Offline cap for a card walk-in sold "to collect". */
    walkInToCollectCapCents: integer('walk_in_to_collect_cap_cents').notNull().default(10000),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('payment_policy_mode', sql`${t.mode} IN ('full', 'deposit', 'at_venue')`),
    check(
      'payment_policy_deposit',
      sql`(${t.mode} = 'deposit') = (num_nonnulls(${t.depositBps}, ${t.depositCents}) = 1)`,
    ),
    check('payment_policy_amounts', sql`${t.noShowFeeCents} >= 0 AND coalesce(${t.depositCents}, 1) > 0`),
  ],
);

/**
 * One payment towards a booking: an online Checkout, a card on a reader, cash at the desk or a
 * no-show fee. `status` is the ledger state (@clubos/shared/payments): pending | failed |
 * canceled | succeeded. `attempt` numbers the Checkout attempts of a booking (idempotency keys).
 */
export const payments = pgTable(
  'payments',
  {
    id: uuid('id').notNull().defaultRandom(),
    bookingId: uuid('booking_id').notNull(),
    facilityId: uuid('facility_id')
      .notNull()
      .references(() => facilities.id),
    /** online | terminal | cash | no_show_fee */
    kind: varchar('kind', { length: 20 }).notNull(),
    /** stripe | venue */
    provider: varchar('provider', { length: 20 }).notNull(),
    attempt: integer('attempt').notNull().default(1),
    providerCheckoutId: varchar('provider_checkout_id', { length: 255 }),
    providerPaymentId: varchar('provider_payment_id', { length: 255 }),
    amountCents: integer('amount_cents').notNull(),
    currency: varchar('currency', { length: 3 }).notNull(),
    status: varchar('status', { length: 20 }).notNull().default('pending'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
    succeededAt: tstz('succeeded_at'),
  },
  (t) => [
    // facility_id leads every key (docs/decisions/019-sharding-by-facility.md); webhooks find a
    // payment by Stripe's ids alone through the plain indexes.
    primaryKey({ columns: [t.facilityId, t.id] }),
    unique('uq_payments_checkout').on(t.facilityId, t.providerCheckoutId),
    unique('uq_payments_provider_payment').on(t.facilityId, t.providerPaymentId),
    index('idx_payments_id').on(t.id),
    index('idx_payments_provider_checkout').on(t.providerCheckoutId),
    index('idx_payments_provider_payment').on(t.providerPaymentId),
    index('idx_payments_booking').on(t.bookingId),
    unique('uq_payments_booking_kind_attempt').on(t.facilityId, t.bookingId, t.kind, t.attempt),
    check('payment_amount', sql`${t.amountCents} >= 0`),
    check('payment_status', sql`${t.status} IN ('pending', 'failed', 'canceled', 'succeeded')`),
  ],
);

/**
 * A refund of one payment. `seq` numbers the refunds of a booking (`refund:<booking>:<seq>` is the
 * provider's idempotency key); `actor` is `user:<id>`, `system` or `provider` (made outside ClubOS).
 * `status`: pending | succeeded | failed.
 */
export const refunds = pgTable(
  'refunds',
  {
    id: uuid('id').notNull().defaultRandom(),
    facilityId: uuid('facility_id').notNull(),
    paymentId: uuid('payment_id').notNull(),
    bookingId: uuid('booking_id').notNull(),
    seq: integer('seq').notNull(),
    amountCents: integer('amount_cents').notNull(),
    reason: text('reason').notNull(),
    actor: varchar('actor', { length: 64 }).notNull(),
    providerRefundId: varchar('provider_refund_id', { length: 255 }),
    status: varchar('status', { length: 20 }).notNull().default('pending'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.facilityId, t.id] }),
    foreignKey({ columns: [t.facilityId, t.paymentId], foreignColumns: [payments.facilityId, payments.id] }),
    unique('uq_refunds_provider_refund').on(t.facilityId, t.providerRefundId),
    index('idx_refunds_id').on(t.id),
    index('idx_refunds_provider_refund').on(t.providerRefundId),
    index('idx_refunds_payment').on(t.paymentId),
    unique('uq_refunds_booking_seq').on(t.facilityId, t.bookingId, t.seq),
    check('refund_amount', sql`${t.amountCents} > 0`),
    check('refund_status', sql`${t.status} IN ('pending', 'succeeded', 'failed')`),
  ],
);

/**
 * Every verified Stripe webhook event, inserted by its id before it is acknowledged (a repeat is
 * ignored), then applied once: `applied_at` set in the transaction that applies it, or
 * `held_reason` while the payment state machine cannot apply it yet.
 */
export const stripeEvents = pgTable(
  'stripe_events',
  {
    id: varchar('id', { length: 255 }).primaryKey(),
    type: varchar('type', { length: 100 }).notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    /** The booking it concerns once known (held events are retried per booking). */
    bookingId: uuid('booking_id'),
    receivedAt: tstz('received_at').notNull().defaultNow(),
    appliedAt: tstz('applied_at'),
    heldReason: text('held_reason'),
  },
  (t) => [index('idx_stripe_events_unapplied').on(t.receivedAt).where(sql`${t.appliedAt} IS NULL`)],
);
