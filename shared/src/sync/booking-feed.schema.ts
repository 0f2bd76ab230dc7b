import { type Static, Type } from '@sinclair/typebox';
import { IsoInstantSchema, UuidSchema } from '../schema/common.schema.js';

/** Preferences a bay applies at `session.prepare` (seed `customers.preferences`: equipment, climate…). */
export const BookingFeedPreferencesSchema = Type.Record(Type.String(), Type.Unknown());

/**
 * `data` of a 'booking' change (cloud `toFeedPayload`): enough to admit the customer and run the bay
 * session. Extra keys are allowed so older edges ignore what they do not know.
 */
export const BookingFeedDataSchema = Type.Object(
  {
    id: UuidSchema,
    facility_id: UuidSchema,
    simulator_id: UuidSchema,
    customer_id: Type.Union([UuidSchema, Type.Null()]),
    start_time: IsoInstantSchema,
    end_time: IsoInstantSchema,
    blocked_until: Type.Optional(IsoInstantSchema),
    status: Type.String({ minLength: 1, maxLength: 32 }),
    access_code: Type.Union([Type.String(), Type.Null()]),
    reference_code: Type.String({ minLength: 1, maxLength: 20 }),
    updated_at: IsoInstantSchema,
    /**
     * The effective preferences: the booking's own (POST /bookings `preferences`), else the customer's
     * stored ones. Optional: absent from feeds written before it existed; the edge then sends `{}`.
     */
    preferences: Type.Optional(BookingFeedPreferencesSchema),
  },
  { additionalProperties: true },
);
export type BookingFeedData = Static<typeof BookingFeedDataSchema>;
