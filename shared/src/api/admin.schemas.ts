import { type Static, Type } from '@sinclair/typebox';
import { InstantInputSchema, IsoInstantSchema, UuidSchema } from '../schema/index.js';
import { LocalDateSchema, Nullable, TimeZoneSchema } from './common.schema.js';

/**
 * Admin API (`/api/v1/admin/…`): dashboard, bay maintenance and CRUD for facilities, bays,
 * availability rules, pricing rules and closures. Write bodies refuse unknown keys so a typo is a
 * 400 naming the key, not a silently ignored change.
 */
const strict = { additionalProperties: false } as const;
const Name = Type.String({ minLength: 1, maxLength: 255 });
/** 'HH:MM' (or 'HH:MM:SS'), facility-local; '24:00' means the next midnight. */
export const LocalTimeOfDaySchema = Type.String({
  pattern: '^(([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d)?|24:00(:00)?)$',
  title: 'local time HH:MM',
});
/** Dollars as in the seed's DECIMAL(10,2); rounded to whole cents. */
const Dollars = Type.Number({ minimum: 0, maximum: 99_999_999 });

export const IdParamsSchema = Type.Object({ id: UuidSchema });
export const FacilityFilterQuerySchema = Type.Object({ facility_id: Type.Optional(UuidSchema) }, strict);
export type FacilityFilterQuery = Static<typeof FacilityFilterQuerySchema>;

// ── Facilities ────────────────────────────────────────────────────────────────────────────────

export const FacilitySettingsSchema = Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), {
  maxProperties: 64,
});

export const CreateFacilityBodySchema = Type.Object(
  {
    name: Name,
    slug: Type.Optional(Nullable(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' }))),
    address: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
    timezone: Type.Optional(TimeZoneSchema),
    settings: Type.Optional(FacilitySettingsSchema),
  },
  strict,
);
export type CreateFacilityBody = Static<typeof CreateFacilityBodySchema>;

export const UpdateFacilityBodySchema = Type.Partial(CreateFacilityBodySchema, {
  ...strict,
  minProperties: 1,
});
export type UpdateFacilityBody = Static<typeof UpdateFacilityBodySchema>;

export const AdminFacilitySchema = Type.Object({
  id: UuidSchema,
  name: Type.String(),
  slug: Nullable(Type.String()),
  address: Nullable(Type.String()),
  timezone: Type.String(),
  settings: Type.Record(Type.String(), Type.Unknown()),
  created_at: IsoInstantSchema,
  updated_at: IsoInstantSchema,
});
export type AdminFacility = Static<typeof AdminFacilitySchema>;
export const AdminFacilityListSchema = Type.Object({ facilities: Type.Array(AdminFacilitySchema) });

// ── Simulators (bays) ─────────────────────────────────────────────────────────────────────────

export const SimulatorStatusSchema = Type.Union([
  Type.Literal('active'),
  Type.Literal('maintenance'),
  Type.Literal('inactive'),
]);

const simulatorFields = {
  name: Name,
  type: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
  bay_number: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 10_000 }))),
  features: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50 })),
  /** Seed decimal dollars; or give `hourly_rate_cents`. */
  hourly_rate: Type.Optional(Dollars),
  hourly_rate_cents: Type.Optional(Type.Integer({ minimum: 0, maximum: 9_999_999_999 })),
  unifi_door_id: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 255 }))),
  ninjaone_device_id: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 255 }))),
};

export const CreateSimulatorBodySchema = Type.Object({ facility_id: UuidSchema, ...simulatorFields }, strict);
export type CreateSimulatorBody = Static<typeof CreateSimulatorBodySchema>;

/**
 * Seed `PATCH /api/v1/admin/simulators/{id}`: `{ status: 'maintenance', maintenance_until, reason }`
 * puts a bay in maintenance (a reason is required; no `maintenance_until` = until reactivated);
 * `{ status: 'active' }` brings it back. Other bay fields may be changed in the same call.
 */
export const UpdateSimulatorBodySchema = Type.Object(
  {
    ...Type.Partial(Type.Object(simulatorFields)).properties,
    status: Type.Optional(SimulatorStatusSchema),
    maintenance_until: Type.Optional(Nullable(InstantInputSchema)),
    reason: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 500 }))),
  },
  { ...strict, minProperties: 1 },
);
export type UpdateSimulatorBody = Static<typeof UpdateSimulatorBodySchema>;

export const AdminSimulatorSchema = Type.Object({
  id: UuidSchema,
  facility_id: UuidSchema,
  name: Type.String(),
  type: Nullable(Type.String()),
  bay_number: Nullable(Type.Integer()),
  features: Type.Array(Type.String()),
  hourly_rate: Type.Number(),
  hourly_rate_cents: Type.Integer(),
  status: Type.String(),
  maintenance_until: Nullable(IsoInstantSchema),
  maintenance_reason: Nullable(Type.String()),
  unifi_door_id: Nullable(Type.String()),
  ninjaone_device_id: Nullable(Type.String()),
  created_at: IsoInstantSchema,
  updated_at: IsoInstantSchema,
});
export type AdminSimulator = Static<typeof AdminSimulatorSchema>;
export const AdminSimulatorListSchema = Type.Object({ simulators: Type.Array(AdminSimulatorSchema) });

/** Bookings that overlap a new maintenance period or closure: staff must contact these customers. */
export const AffectedBookingSchema = Type.Object({
  id: UuidSchema,
  simulator_id: UuidSchema,
  customer_id: Nullable(UuidSchema),
  start_time: IsoInstantSchema,
  end_time: IsoInstantSchema,
  status: Type.String(),
  reference_code: Type.String(),
});
export const SimulatorUpdateResponseSchema = Type.Object({
  simulator: AdminSimulatorSchema,
  affected_bookings: Type.Array(AffectedBookingSchema),
});

// ── Availability rules ────────────────────────────────────────────────────────────────────────

const availabilityRuleFields = {
  day_of_week: Type.Integer({ minimum: 0, maximum: 6 }),
  start_time: LocalTimeOfDaySchema,
  end_time: LocalTimeOfDaySchema,
  slot_duration: Type.Optional(Type.Integer({ minimum: 5, maximum: 720 })),
  buffer_time: Type.Optional(Type.Integer({ minimum: 0, maximum: 240 })),
  max_advance_days: Type.Optional(Type.Integer({ minimum: 0, maximum: 730 })),
  min_advance_hours: Type.Optional(Type.Integer({ minimum: 0, maximum: 720 })),
};
export const CreateAvailabilityRuleBodySchema = Type.Object(
  { simulator_id: UuidSchema, ...availabilityRuleFields },
  strict,
);
export type CreateAvailabilityRuleBody = Static<typeof CreateAvailabilityRuleBodySchema>;
export const UpdateAvailabilityRuleBodySchema = Type.Partial(Type.Object(availabilityRuleFields), {
  ...strict,
  minProperties: 1,
});
export type UpdateAvailabilityRuleBody = Static<typeof UpdateAvailabilityRuleBodySchema>;

export const AvailabilityRulesQuerySchema = Type.Object(
  { facility_id: Type.Optional(UuidSchema), simulator_id: Type.Optional(UuidSchema) },
  strict,
);
export type AvailabilityRulesQuery = Static<typeof AvailabilityRulesQuerySchema>;

export const AdminAvailabilityRuleSchema = Type.Object({
  id: UuidSchema,
  facility_id: UuidSchema,
  simulator_id: UuidSchema,
  day_of_week: Type.Integer(),
  start_time: Type.String(),
  end_time: Type.String(),
  slot_duration: Type.Integer(),
  buffer_time: Type.Integer(),
  max_advance_days: Type.Integer(),
  min_advance_hours: Type.Integer(),
  created_at: IsoInstantSchema,
});
export type AdminAvailabilityRule = Static<typeof AdminAvailabilityRuleSchema>;
export const AdminAvailabilityRuleListSchema = Type.Object({
  rules: Type.Array(AdminAvailabilityRuleSchema),
});

// ── Pricing rules ─────────────────────────────────────────────────────────────────────────────

export const PricingConditionsSchema = Type.Object(
  {
    days_of_week: Type.Optional(Type.Array(Type.Integer({ minimum: 0, maximum: 6 }), { maxItems: 7 })),
    start_time: Type.Optional(LocalTimeOfDaySchema),
    end_time: Type.Optional(LocalTimeOfDaySchema),
    min_occupancy: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    member_tiers: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 20 })),
    customer_tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 20 })),
    vip_only: Type.Optional(Type.Boolean()),
    min_duration: Type.Optional(Type.Integer({ minimum: 0, maximum: 1440 })),
    max_duration: Type.Optional(Type.Integer({ minimum: 0, maximum: 1440 })),
  },
  strict,
);

const pricingRuleFields = {
  simulator_id: Type.Optional(Nullable(UuidSchema)),
  name: Name,
  type: Type.Union([Type.Literal('time_based'), Type.Literal('demand_based'), Type.Literal('member')]),
  conditions: PricingConditionsSchema,
  /** percentage points (-20 = 20 % off) or fixed dollars per hour, by `modifier_type`. */
  price_modifier: Type.Number({ minimum: -100_000, maximum: 100_000 }),
  modifier_type: Type.Optional(Type.Union([Type.Literal('percentage'), Type.Literal('fixed')])),
  priority: Type.Optional(Type.Integer({ minimum: -1000, maximum: 1000 })),
  active: Type.Optional(Type.Boolean()),
  valid_from: Type.Optional(Nullable(InstantInputSchema)),
  valid_until: Type.Optional(Nullable(InstantInputSchema)),
};
export const CreatePricingRuleBodySchema = Type.Object(
  { facility_id: UuidSchema, ...pricingRuleFields },
  strict,
);
export type CreatePricingRuleBody = Static<typeof CreatePricingRuleBodySchema>;
export const UpdatePricingRuleBodySchema = Type.Partial(Type.Object(pricingRuleFields), {
  ...strict,
  minProperties: 1,
});
export type UpdatePricingRuleBody = Static<typeof UpdatePricingRuleBodySchema>;

export const AdminPricingRuleSchema = Type.Object({
  id: UuidSchema,
  facility_id: UuidSchema,
  simulator_id: Nullable(UuidSchema),
  name: Type.String(),
  type: Type.String(),
  conditions: Type.Record(Type.String(), Type.Unknown()),
  price_modifier: Type.Number(),
  modifier_type: Type.String(),
  priority: Type.Integer(),
  active: Type.Boolean(),
  valid_from: Nullable(IsoInstantSchema),
  valid_until: Nullable(IsoInstantSchema),
  created_at: IsoInstantSchema,
});
export type AdminPricingRule = Static<typeof AdminPricingRuleSchema>;
export const AdminPricingRuleListSchema = Type.Object({ rules: Type.Array(AdminPricingRuleSchema) });

// ── Closures ──────────────────────────────────────────────────────────────────────────────────

const closureFields = {
  simulator_id: Type.Optional(Nullable(UuidSchema)),
  kind: Type.Optional(Type.Union([Type.Literal('closure'), Type.Literal('maintenance')])),
  starts_at: InstantInputSchema,
  ends_at: InstantInputSchema,
  reason: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
};
export const CreateClosureBodySchema = Type.Object({ facility_id: UuidSchema, ...closureFields }, strict);
export type CreateClosureBody = Static<typeof CreateClosureBodySchema>;
export const UpdateClosureBodySchema = Type.Partial(Type.Object(closureFields), {
  ...strict,
  minProperties: 1,
});
export type UpdateClosureBody = Static<typeof UpdateClosureBodySchema>;

export const ClosuresQuerySchema = Type.Object(
  {
    facility_id: Type.Optional(UuidSchema),
    from: Type.Optional(InstantInputSchema),
    to: Type.Optional(InstantInputSchema),
  },
  strict,
);
export type ClosuresQuery = Static<typeof ClosuresQuerySchema>;

export const AdminClosureSchema = Type.Object({
  id: UuidSchema,
  facility_id: UuidSchema,
  simulator_id: Nullable(UuidSchema),
  kind: Type.String(),
  starts_at: IsoInstantSchema,
  ends_at: IsoInstantSchema,
  reason: Nullable(Type.String()),
  created_at: IsoInstantSchema,
});
export type AdminClosure = Static<typeof AdminClosureSchema>;
export const AdminClosureListSchema = Type.Object({ closures: Type.Array(AdminClosureSchema) });
export const ClosureWriteResponseSchema = Type.Object({
  closure: AdminClosureSchema,
  affected_bookings: Type.Array(AffectedBookingSchema),
});

export const DeletedResponseSchema = Type.Object({ id: UuidSchema, deleted: Type.Literal(true) });

// ── Dashboard ─────────────────────────────────────────────────────────────────────────────────

export const DashboardQuerySchema = Type.Object(
  {
    /** Required for admins and for staff of several facilities. */
    facility_id: Type.Optional(UuidSchema),
    /** Facility-local business date to report as "today" (default: today in the facility's zone). */
    date: Type.Optional(LocalDateSchema),
  },
  strict,
);
export type DashboardQuery = Static<typeof DashboardQuerySchema>;

const DayFiguresSchema = Type.Object({
  bookings: Type.Integer(),
  revenue: Type.Number(),
  revenue_cents: Type.Integer(),
  /** Percent of open bay-minutes booked (0–100, one decimal). */
  occupancy: Type.Number(),
  cancellations: Type.Integer(),
  no_shows: Type.Integer(),
});

export const DashboardAlertSchema = Type.Object({
  /** bay_maintenance | bay_inactive | closure | edge_offline | edge_missing | waitlist_offers */
  type: Type.String(),
  severity: Type.Union([Type.Literal('info'), Type.Literal('warning'), Type.Literal('critical')]),
  message: Type.String(),
  simulator_id: Type.Optional(UuidSchema),
  until: Type.Optional(Nullable(IsoInstantSchema)),
});
export type DashboardAlert = Static<typeof DashboardAlertSchema>;

/**
 * Seed `GET /api/v1/admin/dashboard`. `today` is the facility-local business date. `trends.days`
 * covers the 14 dates ending with it; `trends.heatmap` counts booked bay-minutes per local weekday
 * (0 = Sunday) and hour over those 14 days.
 */
export const DashboardResponseSchema = Type.Object({
  facility_id: UuidSchema,
  timezone: Type.String(),
  date: Type.String(),
  today: DayFiguresSchema,
  trends: Type.Object({
    days: Type.Array(Type.Object({ date: Type.String(), ...DayFiguresSchema.properties })),
    heatmap: Type.Array(
      Type.Object({ weekday: Type.Integer(), hour: Type.Integer(), booked_minutes: Type.Integer() }),
    ),
    no_shows: Type.Integer(),
    no_show_rate: Type.Number(),
  }),
  alerts: Type.Array(DashboardAlertSchema),
});
export type DashboardResponse = Static<typeof DashboardResponseSchema>;
