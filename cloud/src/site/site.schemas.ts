import { StandardErrors } from '@clubos/shared/api';
import { CancellationPolicySchema } from '@clubos/shared/booking';
import { UuidSchema } from '@clubos/shared/schema';
import { type Static, Type } from '@sinclair/typebox';

/** A venue as the public booking site shows it (no internal settings beyond what a visitor needs). */
export const PublicFacilitySchema = Type.Object({
  id: UuidSchema,
  name: Type.String(),
  address: Type.Union([Type.String(), Type.Null()]),
  timezone: Type.String(),
  /** The terms the site uses to show the refund before a customer confirms a cancellation. */
  cancellation_policy: CancellationPolicySchema,
  tax_rate_bps: Type.Integer(),
});
export type PublicFacility = Static<typeof PublicFacilitySchema>;

export const PublicFacilityListSchema = Type.Object({ facilities: Type.Array(PublicFacilitySchema) });
export type PublicFacilityList = Static<typeof PublicFacilityListSchema>;

export const AvailabilityEventsQuerySchema = Type.Object(
  { facility_id: UuidSchema },
  { additionalProperties: false },
);

/** What each `change` event of the availability stream carries. */
export const AvailabilityChangeEventSchema = Type.Object({ facility_id: UuidSchema, seq: Type.Integer() });
export type AvailabilityChangeEvent = Static<typeof AvailabilityChangeEventSchema>;

export const SiteErrors = StandardErrors;
