import { type Static, Type } from '@sinclair/typebox';
import { IsoInstantSchema, UuidSchema } from '../schema/index.js';
import { BookingSchema } from './booking.schema.js';
import { Nullable } from './common.schema.js';

/** `:id` of the customer routes. */
export const CustomerIdParamsSchema = Type.Object({ id: UuidSchema });
export type CustomerIdParams = Static<typeof CustomerIdParamsSchema>;

export const PREFERRED_TIMES = ['morning', 'afternoon', 'evening', 'weekday', 'weekend'] as const;
export const PreferredTimeSchema = Type.Union([
  Type.Literal('morning'),
  Type.Literal('afternoon'),
  Type.Literal('evening'),
  Type.Literal('weekday'),
  Type.Literal('weekend'),
]);

export const NotificationPreferencesSchema = Type.Object(
  {
    email: Type.Optional(Type.Boolean()),
    sms: Type.Optional(Type.Boolean()),
    push: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/**
 * Seed `PATCH /api/v1/customers/{id}/preferences`. A partial update: absent keys keep their value,
 * `notifications` merges key by key, `preferred_simulator: null` clears the favourite bay. Unknown
 * keys are refused (400 naming the key) so a typo is not stored silently.
 */
export const UpdatePreferencesBodySchema = Type.Object(
  {
    preferred_simulator: Type.Optional(Nullable(UuidSchema)),
    preferred_times: Type.Optional(Type.Array(PreferredTimeSchema, { maxItems: 5, uniqueItems: true })),
    notifications: Type.Optional(NotificationPreferencesSchema),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdatePreferencesBody = Static<typeof UpdatePreferencesBodySchema>;

export const CustomerPreferencesSchema = Type.Object(
  {
    preferred_simulator: Type.Optional(Nullable(UuidSchema)),
    preferred_times: Type.Optional(Type.Array(Type.String())),
    notifications: Type.Optional(
      Type.Object({
        email: Type.Optional(Type.Boolean()),
        sms: Type.Optional(Type.Boolean()),
        push: Type.Optional(Type.Boolean()),
      }),
    ),
  },
  { additionalProperties: true },
);
export type CustomerPreferences = Static<typeof CustomerPreferencesSchema>;

export const CustomerProfileSchema = Type.Object({
  first_name: Nullable(Type.String()),
  last_name: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  vip_status: Type.Boolean(),
  /** Membership tier that `member` pricing rules match (e.g. 'gold'); null = not a member. */
  member_tier: Nullable(Type.String()),
  tags: Type.Array(Type.String()),
  total_bookings: Type.Integer({
    description:
      'Bookings counted as the customer record counts them: each confirmed booking, still counted ' +
      'once cancelled or missed; checkout holds are not. Admins and the customer: at every ' +
      'facility. Staff: at the facilities they work at only.',
  }),
  total_spent: Type.Number({ description: '`total_spent_cents` in dollars.' }),
  total_spent_cents: Type.Integer({
    description:
      'Price minus refunds of those bookings. Admins and the customer: at every facility; staff: ' +
      'at theirs only.',
  }),
  last_booking_at: Type.Union([IsoInstantSchema, Type.Null()], {
    description:
      'When the latest of those bookings was made. Admins and the customer: at any facility; ' +
      'staff: at theirs only.',
  }),
  created_at: IsoInstantSchema,
});

/**
 * Seed `GET /api/v1/customers/{id}`. `loyalty_points`: 10 points per completed hour of play
 * (bookings completed, or checked in and already over), rounded down over the whole history.
 * Staff see the bookings and totals at their facilities only; admins and the customer see all.
 * `loyalty_points` is the customer's one balance, the same whoever asks.
 */
export const CustomerResponseSchema = Type.Object({
  id: UuidSchema,
  email: Type.String(),
  profile: CustomerProfileSchema,
  preferences: CustomerPreferencesSchema,
  booking_history: Type.Array(BookingSchema, {
    description: 'Past and finished bookings, latest first. Staff: at their facilities only.',
  }),
  upcoming_bookings: Type.Array(BookingSchema, {
    description: 'Active bookings not over yet, soonest first. Staff: at their facilities only.',
  }),
  loyalty_points: Type.Integer({
    description:
      "The customer's balance: 10 points per hour played (completed bookings, or checked-in ones " +
      'that have ended) at any facility, rounded down. The same for staff, admins and the ' +
      'customer: one loyalty programme across the venues, not a per-facility figure.',
  }),
});
export type CustomerResponse = Static<typeof CustomerResponseSchema>;

/** A membership tier as pricing rules name it (`conditions.member_tiers`): no surrounding spaces. */
export const MemberTierSchema = Type.String({ minLength: 1, maxLength: 64, pattern: '^\\S(?:.*\\S)?$' });

/**
 * `PUT /api/v1/admin/customers/{id}/membership` (admins): the customer's tier for `member`
 * pricing rules (`null` ends the membership) and, optionally, the seed's `vip_status`.
 */
export const UpdateMembershipBodySchema = Type.Object(
  {
    member_tier: Nullable(MemberTierSchema),
    vip_status: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type UpdateMembershipBody = Static<typeof UpdateMembershipBodySchema>;

/** GDPR export: everything the cloud holds about one customer, as JSON. */
export const CustomerExportSchema = Type.Object({
  exported_at: IsoInstantSchema,
  customer: Type.Record(Type.String(), Type.Unknown()),
  accounts: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  bookings: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  access_tokens: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  waitlist_entries: Type.Array(Type.Record(Type.String(), Type.Unknown())),
});
export type CustomerExport = Static<typeof CustomerExportSchema>;

/** GDPR erasure: what happened. Bookings stay (accounting) but no longer name the person. */
export const CustomerErasureSchema = Type.Object({
  id: UuidSchema,
  erased_at: IsoInstantSchema,
  cancelled_bookings: Type.Array(UuidSchema),
  revoked_credentials: Type.Integer(),
  disabled_accounts: Type.Integer(),
  left_waitlist_entries: Type.Integer(),
});
export type CustomerErasure = Static<typeof CustomerErasureSchema>;
