import { sql } from 'drizzle-orm';
import {
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  unique,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { facilities, simulators, tstz } from './facilities.schema.js';
import { customers, users } from './people.schema.js';

/**
 * Seed table `bookings`. Checkout holds live here too, as status `pending` with
 * `hold_expires_at`, so the exclusion constraint (custom migration `booking_no_overlap`) covers
 * them: `EXCLUDE USING gist (facility_id WITH =, simulator_id WITH =, tstzrange(start_time, blocked_until) WITH &&)
 * WHERE status IN ('pending','confirmed','checked_in')`. `blocked_until` is `end_time` plus the
 * bay's buffer, computed by the service (timestamptz + interval is not IMMUTABLE, so it cannot be
 * an index expression). An expired hold blocks until deleted: before a write inside a transaction
 * (`claimBays`), or after the constraint refused a one-statement write (`BookingWriter`), then retried.
 * `facility_id` leads the primary key, the code's unique key and the exclusion constraint, so the
 * table can be distributed by facility unchanged (docs/decisions/019-sharding-by-facility.md);
 * a booking is still found by `id` alone through `idx_bookings_id`.
 */
export const bookings = pgTable(
  'bookings',
  {
    id: uuid('id').notNull().defaultRandom(),
    facilityId: uuid('facility_id')
      .notNull()
      .references(() => facilities.id),
    simulatorId: uuid('simulator_id')
      .notNull()
      .references(() => simulators.id),
    customerId: uuid('customer_id').references(() => customers.id),
    hubspotDealId: varchar('hubspot_deal_id', { length: 255 }),
    startTime: tstz('start_time').notNull(),
    endTime: tstz('end_time').notNull(),
    blockedUntil: tstz('blocked_until').notNull(),
    /** minutes */
    duration: integer('duration').notNull(),
    /** pending | confirmed | checked_in | completed | cancelled | no_show */
    status: varchar('status', { length: 50 }).notNull().default('pending'),
    /** single | recurring | group */
    type: varchar('type', { length: 50 }).notNull().default('single'),
    recurrenceRule: jsonb('recurrence_rule'),
    /** Shared by the occurrences of one recurring booking, or the bays of one group booking. */
    seriesId: uuid('series_id'),
    priceCents: integer('price_cents').notNull().default(0),
    price: numeric('price', { precision: 10, scale: 2 }).generatedAlwaysAs(sql`(price_cents::numeric / 100)`),
    /** The pricing engine's explanation lines, kept so a receipt can be re-rendered. */
    priceBreakdown: jsonb('price_breakdown'),
    paymentStatus: varchar('payment_status', { length: 50 }),
    paymentMethod: varchar('payment_method', { length: 50 }),
    /** The six-digit door PIN (seed column name). */
    accessCode: varchar('access_code', { length: 20 }),
    qrCodeUrl: text('qr_code_url'),
    /** Short human reference printed on confirmations, unique in its facility. */
    referenceCode: varchar('reference_code', { length: 16 }).notNull(),
    holdExpiresAt: tstz('hold_expires_at'),
    /** web | kiosk | console | api | waitlist */
    source: varchar('source', { length: 20 }).notNull().default('web'),
    createdBy: uuid('created_by').references(() => users.id),
    checkInTime: tstz('check_in_time'),
    checkOutTime: tstz('check_out_time'),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    refundCents: integer('refund_cents'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
    cancelledAt: tstz('cancelled_at'),
    cancellationReason: text('cancellation_reason'),
  },
  (t) => [
    primaryKey({ columns: [t.facilityId, t.id] }),
    unique('uq_bookings_facility_reference').on(t.facilityId, t.referenceCode),
    index('idx_bookings_id').on(t.id),
    index('idx_bookings_reference').on(t.referenceCode),
    index('idx_bookings_start_time').on(t.startTime),
    index('idx_bookings_simulator').on(t.simulatorId, t.startTime),
    index('idx_bookings_facility').on(t.facilityId, t.startTime),
    index('idx_bookings_customer').on(t.customerId),
    index('idx_bookings_status').on(t.status),
    index('idx_bookings_series').on(t.seriesId),
    // Checkout holds of a facility (the availability listing's version read counts the live ones
    // on every request): a handful of rows instead of every booking of the facility in the window.
    index('idx_bookings_holds').on(t.facilityId, t.startTime).where(sql`${t.status} = 'pending'`),
  ],
);

// Seed table `access_tokens`: the signed QR credential and the PIN of each booking.
export const accessTokens = pgTable(
  'access_tokens',
  {
    id: uuid('id').notNull().defaultRandom(),
    facilityId: uuid('facility_id').notNull(),
    bookingId: uuid('booking_id').notNull(),
    token: text('token').notNull(),
    /** qr | pin | nfc */
    type: varchar('type', { length: 50 }).notNull().default('qr'),
    validFrom: tstz('valid_from').notNull(),
    validUntil: tstz('valid_until').notNull(),
    usedAt: tstz('used_at'),
    revokedAt: tstz('revoked_at'),
    deviceId: varchar('device_id', { length: 255 }),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.facilityId, t.id] }),
    foreignKey({
      columns: [t.facilityId, t.bookingId],
      foreignColumns: [bookings.facilityId, bookings.id],
    }).onDelete('cascade'),
    index('idx_access_tokens_booking').on(t.bookingId),
    index('idx_access_tokens_token').on(t.token),
  ],
);

// Waitlist: a customer waits for a slot; on a cancellation the first in line gets a timed offer,
// which is a hold (a pending booking with `hold_expires_at`) referenced by `offer_booking_id`.
export const waitlistEntries = pgTable(
  'waitlist_entries',
  {
    id: uuid('id').notNull().defaultRandom(),
    facilityId: uuid('facility_id')
      .notNull()
      .references(() => facilities.id),
    /** null = any bay of the facility */
    simulatorId: uuid('simulator_id').references(() => simulators.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    startTime: tstz('start_time').notNull(),
    duration: integer('duration').notNull(),
    /** waiting | offered | accepted | expired | cancelled */
    status: varchar('status', { length: 20 }).notNull().default('waiting'),
    offerBookingId: uuid('offer_booking_id'),
    offerExpiresAt: tstz('offer_expires_at'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.facilityId, t.id] }),
    // The migration narrows this to `SET NULL (offer_booking_id)`: the entry keeps its facility.
    foreignKey({
      columns: [t.facilityId, t.offerBookingId],
      foreignColumns: [bookings.facilityId, bookings.id],
    }).onDelete('set null'),
    index('idx_waitlist_slot').on(t.facilityId, t.startTime, t.status, t.createdAt),
  ],
);
