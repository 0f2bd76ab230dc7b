import { type Static, Type } from '@sinclair/typebox';
import { InstantInputSchema, IsoInstantSchema, UuidSchema } from '../schema/index.js';
import { DurationSchema, Nullable } from './common.schema.js';

export const WAITLIST_STATUSES = ['waiting', 'offered', 'accepted', 'expired', 'cancelled'] as const;
export type WaitlistStatus = (typeof WAITLIST_STATUSES)[number];
export const WaitlistStatusSchema = Type.Union([
  Type.Literal('waiting'),
  Type.Literal('offered'),
  Type.Literal('accepted'),
  Type.Literal('expired'),
  Type.Literal('cancelled'),
]);

/**
 * `POST /api/v1/waitlist`: wait for a taken slot, on one bay (`simulator_id`) or on any bay of a
 * facility (`facility_id` alone). When a booking overlapping it is cancelled, the first in line
 * gets a timed offer (a checkout hold).
 */
export const JoinWaitlistBodySchema = Type.Object(
  {
    simulator_id: Type.Optional(UuidSchema),
    facility_id: Type.Optional(UuidSchema),
    start_time: InstantInputSchema,
    duration: DurationSchema,
  },
  { additionalProperties: false },
);
export type JoinWaitlistBody = Static<typeof JoinWaitlistBodySchema>;

export const WaitlistIdParamsSchema = Type.Object({ id: UuidSchema });

export const ListWaitlistQuerySchema = Type.Object(
  {
    /** Staff and admins: one facility's line; customers always see only their own entries. */
    facility_id: Type.Optional(UuidSchema),
    status: Type.Optional(WaitlistStatusSchema),
  },
  { additionalProperties: false },
);
export type ListWaitlistQuery = Static<typeof ListWaitlistQuerySchema>;

export const WaitlistEntrySchema = Type.Object({
  id: UuidSchema,
  facility_id: UuidSchema,
  /** null = any bay of the facility. */
  simulator_id: Nullable(UuidSchema),
  customer_id: UuidSchema,
  start_time: IsoInstantSchema,
  end_time: IsoInstantSchema,
  duration: Type.Integer(),
  status: WaitlistStatusSchema,
  /** 1-based place among the entries still waiting for this facility, null once not waiting. */
  position: Nullable(Type.Integer()),
  /** The hold reserved for this entry while an offer is open (accept turns it into a booking). */
  offer_booking_id: Nullable(UuidSchema),
  offer_simulator_id: Nullable(UuidSchema),
  offer_expires_at: Nullable(IsoInstantSchema),
  created_at: IsoInstantSchema,
  updated_at: IsoInstantSchema,
});
export type WaitlistEntry = Static<typeof WaitlistEntrySchema>;

export const WaitlistListSchema = Type.Object({ entries: Type.Array(WaitlistEntrySchema) });
