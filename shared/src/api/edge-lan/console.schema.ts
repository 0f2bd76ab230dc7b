import { type Static, Type } from '@sinclair/typebox';
import { IsoInstantSchema } from '../../schema/common.schema.js';
import { Nullable } from '../common.schema.js';
import { EdgeBookingSchema } from './booking.schema.js';

export const BoardBaySchema = Type.Object({
  simulator_id: Type.String(),
  name: Type.String(),
  bay_number: Nullable(Type.Integer()),
  status: Type.String(),
  door_id: Nullable(Type.String()),
  device_presence: Type.String(),
  session_step: Nullable(Type.String()),
  now: Nullable(EdgeBookingSchema),
  next: Nullable(EdgeBookingSchema),
  bookings: Type.Array(EdgeBookingSchema),
});
export type BoardBay = Static<typeof BoardBaySchema>;

/** `GET /console/board`: per bay the booking playing now, the next one, the PC and the door. */
export const BoardSchema = Type.Object({
  date: Type.String(),
  timezone: Type.String(),
  entrance_door_ids: Type.Array(Type.String()),
  bays: Type.Array(BoardBaySchema),
});
export type Board = Static<typeof BoardSchema>;

export const AuditQuerySchema = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
});
export const AuditEntrySchema = Type.Object({
  id: Type.Integer(),
  at: IsoInstantSchema,
  kind: Type.String(),
  actor: Nullable(Type.String()),
  subject: Nullable(Type.String()),
  decision: Nullable(Type.String()),
  reason: Nullable(Type.String()),
});
export type AuditEntry = Static<typeof AuditEntrySchema>;
export const AuditLogSchema = Type.Object({ entries: Type.Array(AuditEntrySchema) });

export const ConsoleEventsQuerySchema = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) });
