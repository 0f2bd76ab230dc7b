import { Nullable } from '@clubos/shared/api';
import { IsoInstantSchema, UuidSchema } from '@clubos/shared/schema';
import { type Static, Type } from '@sinclair/typebox';

/**
 * Request/response schemas of the admin people routes (customer search, staff list). They live
 * here rather than in `shared/src/api/` because only the cloud's admin dashboard uses them (as
 * `hubspot.schemas.ts` does); cloud/web/admin/admin-api.ts repeats the parts it shows.
 */
const strict = { additionalProperties: false } as const;

export const CUSTOMER_SEARCH_DEFAULT_LIMIT = 25;

export const CustomerSearchQuerySchema = Type.Object(
  {
    q: Type.Optional(
      Type.String({
        maxLength: 255,
        // No control characters: PostgreSQL refuses a NUL in text, and nothing stored has one.
        pattern: '^[^\\u0000-\\u001f\\u007f]*$',
        description: 'Part of the email, first name, last name or "first last"; any case. Empty: everyone.',
      }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: CUSTOMER_SEARCH_DEFAULT_LIMIT })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0 })),
  },
  strict,
);
export type CustomerSearchQuery = Static<typeof CustomerSearchQuerySchema>;

export const CustomerSummarySchema = Type.Object({
  id: UuidSchema,
  /** The address the person uses, also for a detached guest record (never `unclaimed:…`). */
  email: Type.String(),
  first_name: Nullable(Type.String()),
  last_name: Nullable(Type.String()),
  member_tier: Nullable(Type.String()),
  vip_status: Type.Boolean(),
  total_bookings: Type.Integer({
    description:
      'Bookings counted as the customer record counts them: each confirmed booking, still counted ' +
      'once cancelled or missed; checkout holds are not. Admins: at every facility. Staff: at the ' +
      'facilities they work at only, so a figure never tells them about another facility.',
  }),
  last_booking_at: Type.Union([IsoInstantSchema, Type.Null()], {
    description:
      'When the latest of those bookings was made. Admins: at any facility; staff: at theirs only.',
  }),
  /** A login account uses this record. */
  has_account: Type.Boolean(),
  /**
   * A guest record whose email an account has since taken: its bookings wait for their booker to
   * claim them (code and PIN). It is not the account's record.
   */
  detached_guest: Type.Boolean(),
  created_at: IsoInstantSchema,
});
export type CustomerSummary = Static<typeof CustomerSummarySchema>;

export const CustomerSearchResponseSchema = Type.Object({
  customers: Type.Array(CustomerSummarySchema),
  /** Matches in all, for paging. */
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});
export type CustomerSearchResponse = Static<typeof CustomerSearchResponseSchema>;

export const StaffMemberSchema = Type.Object({
  id: UuidSchema,
  email: Type.String(),
  role: Type.Union([Type.Literal('staff'), Type.Literal('admin')]),
  /** Facilities a staff account works at; empty for admins (they see every facility). */
  facility_ids: Type.Array(UuidSchema),
  active: Type.Boolean(),
  must_change_password: Type.Boolean(),
  created_at: IsoInstantSchema,
});
export type StaffMember = Static<typeof StaffMemberSchema>;

export const StaffListSchema = Type.Object({ staff: Type.Array(StaffMemberSchema) });
export type StaffList = Static<typeof StaffListSchema>;
