import { Type } from '@sinclair/typebox';
import { IsoInstantSchema } from '../schema/index.js';
import { Nullable } from './common.schema.js';

/** One incident of `GET /api/v1/admin/facilities/:id/staff-alerts`. */
export const StaffAlertSchema = Type.Object({
  id: Type.Integer(),
  kind: Type.String({ description: 'door_forced_open | door_held_open | bay_pc_offline | …' }),
  severity: Type.String({ description: 'info | warning | critical' }),
  subject: Nullable(Type.String()),
  message: Type.String(),
  raised_at: IsoInstantSchema,
});

export const StaffAlertListSchema = Type.Object({ alerts: Type.Array(StaffAlertSchema) });

export const StaffAlertQuerySchema = Type.Object(
  {
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 500, description: 'newest first; 100 unless set' }),
    ),
  },
  { additionalProperties: false },
);
