import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { facilities, tstz } from './facilities.schema.js';

// Seed table `customers`. Emails are stored lower-cased (the service normalises them) so the
// unique constraint also links guest checkouts to an existing customer.
export const customers = pgTable(
  'customers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: varchar('email', { length: 255 }).notNull().unique(),
    phone: varchar('phone', { length: 20 }),
    firstName: varchar('first_name', { length: 255 }),
    lastName: varchar('last_name', { length: 255 }),
    hubspotContactId: varchar('hubspot_contact_id', { length: 255 }),
    preferences: jsonb('preferences').$type<Record<string, unknown>>().notNull().default({}),
    tags: text('tags').array(),
    vipStatus: boolean('vip_status').notNull().default(false),
    /** Membership tier for `member` pricing rules (e.g. 'gold'); null = not a member. Set by an admin. */
    memberTier: text('member_tier'),
    totalBookings: integer('total_bookings').notNull().default(0),
    totalSpentCents: integer('total_spent_cents').notNull().default(0),
    totalSpent: numeric('total_spent', { precision: 10, scale: 2 }).generatedAlwaysAs(
      sql`(total_spent_cents::numeric / 100)`,
    ),
    loyaltyPoints: integer('loyalty_points').notNull().default(0),
    lastBookingAt: tstz('last_booking_at'),
    /** GDPR erasure: personal fields are blanked and this is set; bookings keep their history. */
    deletedAt: tstz('deleted_at'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [index('idx_customers_hubspot').on(t.hubspotContactId)],
);

/**
 * Login accounts. `role` is customer | staff | admin; a customer account points at its
 * `customers` row; staff are scoped to facilities through `staff_facilities`.
 * (The edge's `system` role is not a user: it authenticates with an `edge_nodes` key.)
 */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: varchar('email', { length: 255 }).notNull(),
    passwordHash: text('password_hash').notNull(),
    role: varchar('role', { length: 20 }).notNull(),
    customerId: uuid('customer_id').references(() => customers.id),
    displayName: varchar('display_name', { length: 255 }),
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    disabledAt: tstz('disabled_at'),
    /**
     * Bumped when the password changes or the account is deactivated. Access tokens carry the value
     * they were issued under; one from an older generation answers 401 (auth.plugin.ts).
     */
    tokenGeneration: integer('token_generation').notNull().default(0),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('uq_users_email').on(t.email),
    // Guest checkout and sign-up ask whether a customer record has an account.
    index('idx_users_customer').on(t.customerId),
  ],
);

export const staffFacilities = pgTable(
  'staff_facilities',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    facilityId: uuid('facility_id')
      .notNull()
      .references(() => facilities.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.facilityId] })],
);

// Rotating refresh tokens, stored as SHA-256 hashes. A family shares `family_id`: presenting a
// token that was already rotated revokes the whole family (stolen-token detection).
export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    familyId: uuid('family_id').notNull(),
    tokenHash: varchar('token_hash', { length: 64 }).notNull().unique(),
    expiresAt: tstz('expires_at').notNull(),
    usedAt: tstz('used_at'),
    revokedAt: tstz('revoked_at'),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [index('idx_refresh_tokens_family').on(t.familyId)],
);

// Idempotency-Key records (docs/decisions/003-idempotency-keys.md). `scope` keeps keys of different callers
// and routes apart; `request_hash` detects a key reused with a different body (422).
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    scope: varchar('scope', { length: 200 }).notNull(),
    key: varchar('key', { length: 255 }).notNull(),
    requestHash: varchar('request_hash', { length: 64 }).notNull(),
    statusCode: integer('status_code').notNull(),
    response: jsonb('response').notNull(),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] }), index('idx_idempotency_created').on(t.createdAt)],
);
