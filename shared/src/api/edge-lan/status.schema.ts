import { type Static, Type } from '@sinclair/typebox';
import { IsoInstantSchema } from '../../schema/common.schema.js';
import { Nullable } from '../common.schema.js';

/** `GET /sync/status`: how far the replica is behind the cloud and what waits to be uploaded. */
export const SyncStatusSchema = Type.Object({
  state: Type.Union([Type.Literal('online'), Type.Literal('offline'), Type.Literal('disabled')]),
  cursor: Type.Integer(),
  cloud_head: Type.Integer(),
  lag_changes: Type.Integer(),
  lag_ms: Nullable(Type.Integer()),
  last_successful_pull: Nullable(IsoInstantSchema),
  snapshot_loaded_at: Nullable(IsoInstantSchema),
  outbox_pending: Type.Integer(),
  outbox_rejected: Type.Integer(),
  last_error: Nullable(Type.String()),
});
export type SyncStatus = Static<typeof SyncStatusSchema>;

/** A staff alert: bays offline, doors forced or held open, NinjaOne/UniFi trouble. */
export const AlertSchema = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  severity: Type.String(),
  subject: Nullable(Type.String()),
  message: Type.String(),
  details: Nullable(Type.Record(Type.String(), Type.Unknown())),
  raised_at: IsoInstantSchema,
  last_seen_at: IsoInstantSchema,
  occurrences: Type.Integer(),
  resolved_at: Nullable(IsoInstantSchema),
  acknowledged_at: Nullable(IsoInstantSchema),
  acknowledged_by: Nullable(Type.String()),
});
export type Alert = Static<typeof AlertSchema>;

export const AlertListQuerySchema = Type.Object({
  open: Type.Optional(Type.Boolean()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
});
export const AlertListSchema = Type.Object({ alerts: Type.Array(AlertSchema) });
export const AlertIdParamsSchema = Type.Object({ id: Type.Integer({ minimum: 1 }) });
