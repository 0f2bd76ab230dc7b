import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  time,
  timestamp,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';

/**
 * All instants are `timestamptz` (docs/decisions/001-time-and-zones.md); drizzle hands them over as `Date`.
 */
export const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

// Seed table `facilities`, plus a stable `slug` used by the edge (MQTT topics, config).
export const facilities = pgTable('facilities', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: varchar('name', { length: 255 }).notNull(),
  slug: varchar('slug', { length: 64 }).unique(),
  address: text('address'),
  timezone: varchar('timezone', { length: 50 }).notNull().default('America/Toronto'),
  settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
  createdAt: tstz('created_at').notNull().defaultNow(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

// Seed table `simulators` (a bay). Money is integer cents; the seed's decimal `hourly_rate` is a
// generated column so there is one source of truth.
export const simulators = pgTable(
  'simulators',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    facilityId: uuid('facility_id')
      .notNull()
      .references(() => facilities.id),
    name: varchar('name', { length: 255 }).notNull(),
    type: varchar('type', { length: 50 }),
    bayNumber: integer('bay_number'),
    features: jsonb('features').$type<string[]>().notNull().default([]),
    hourlyRateCents: integer('hourly_rate_cents').notNull().default(0),
    hourlyRate: numeric('hourly_rate', { precision: 10, scale: 2 }).generatedAlwaysAs(
      sql`(hourly_rate_cents::numeric / 100)`,
    ),
    /** active | maintenance | inactive */
    status: varchar('status', { length: 50 }).notNull().default('active'),
    maintenanceUntil: tstz('maintenance_until'),
    maintenanceReason: text('maintenance_reason'),
    unifiDoorId: varchar('unifi_door_id', { length: 255 }),
    ninjaoneDeviceId: varchar('ninjaone_device_id', { length: 255 }),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [index('idx_simulators_facility').on(t.facilityId)],
);

// Seed table `availability_rules`: opening hours of one bay on one weekday. Times of day are
// wall-clock in the facility's zone (see `AvailabilityRule` in @clubos/shared/model).
export const availabilityRules = pgTable(
  'availability_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    simulatorId: uuid('simulator_id')
      .notNull()
      .references(() => simulators.id, { onDelete: 'cascade' }),
    /** 0 = Sunday … 6 = Saturday (seed convention). */
    dayOfWeek: integer('day_of_week').notNull(),
    startTime: time('start_time').notNull(),
    endTime: time('end_time').notNull(),
    slotDuration: integer('slot_duration').notNull().default(60),
    bufferTime: integer('buffer_time').notNull().default(0),
    maxAdvanceDays: integer('max_advance_days').notNull().default(30),
    minAdvanceHours: integer('min_advance_hours').notNull().default(1),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [index('idx_availability_rules_simulator').on(t.simulatorId)],
);

// Seed table `pricing_rules`. `simulator_id` null = every bay of `facility_id`. `modifier_type`
// says how `price_modifier` applies (see `PricingRule` in @clubos/shared/model): 'percentage'
// points, or 'fixed' dollars per hour of play inside the rule's window.
export const pricingRules = pgTable(
  'pricing_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    facilityId: uuid('facility_id')
      .notNull()
      .references(() => facilities.id),
    simulatorId: uuid('simulator_id').references(() => simulators.id, { onDelete: 'cascade' }),
    name: varchar('name', { length: 255 }).notNull().default(''),
    type: varchar('type', { length: 50 }).notNull().default('time_based'),
    conditions: jsonb('conditions').$type<Record<string, unknown>>().notNull(),
    priceModifier: numeric('price_modifier', { precision: 7, scale: 2 }).notNull().default('0'),
    /** percentage | fixed */
    modifierType: varchar('modifier_type', { length: 20 }).notNull().default('percentage'),
    priority: integer('priority').notNull().default(0),
    active: boolean('active').notNull().default(true),
    validFrom: tstz('valid_from'),
    validUntil: tstz('valid_until'),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('idx_pricing_rules_simulator').on(t.simulatorId),
    index('idx_pricing_rules_facility').on(t.facilityId),
  ],
);

// Closures and maintenance blocks: a whole facility (simulator_id null) or one bay is unavailable.
export const closures = pgTable(
  'closures',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    facilityId: uuid('facility_id')
      .notNull()
      .references(() => facilities.id),
    simulatorId: uuid('simulator_id').references(() => simulators.id, { onDelete: 'cascade' }),
    /** closure | maintenance */
    kind: varchar('kind', { length: 20 }).notNull().default('closure'),
    startsAt: tstz('starts_at').notNull(),
    endsAt: tstz('ends_at').notNull(),
    reason: text('reason'),
    createdBy: uuid('created_by'),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [index('idx_closures_facility_time').on(t.facilityId, t.startsAt)],
);
