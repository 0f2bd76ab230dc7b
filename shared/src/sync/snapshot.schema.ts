import { type Static, Type } from '@sinclair/typebox';
import { IdSchema, IsoInstantSchema, UuidSchema } from '../schema/common.schema.js';
import { ChangeEntitySchema, EntityDataSchema } from './change-feed.schema.js';
import { SyncVersionSchema } from './sync-version.js';

/**
 * Everything an edge needs to start from nothing (new edge, or its cursor was compacted away).
 * Items have the shape of an 'upsert' change, so the edge applies both through the same code;
 * the edge replaces its replica with the items and stores `seq` as its cursor in one transaction.
 */
export const SnapshotItemSchema = Type.Object({
  entity: ChangeEntitySchema,
  entity_id: IdSchema,
  data: EntityDataSchema,
});
export type SnapshotItem = Static<typeof SnapshotItemSchema>;

export const SnapshotSchema = Type.Object({
  v: SyncVersionSchema,
  facility_id: UuidSchema,
  /** The feed position the snapshot reflects: resume with `after = seq`. */
  seq: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
  generated_at: IsoInstantSchema,
  items: Type.Array(SnapshotItemSchema),
});
export type Snapshot = Static<typeof SnapshotSchema>;

/**
 * `data` of a 'revocation' change: a cancelled booking's QR token must stop opening doors even
 * though its signature stays valid. `valid_until` is the token's expiry: after it the edge may
 * forget the revocation, because the token is refused as expired anyway.
 */
export const RevocationDataSchema = Type.Object({
  booking_id: UuidSchema,
  revoked_at: IsoInstantSchema,
  valid_until: IsoInstantSchema,
  reason: Type.String({ maxLength: 500 }),
});
export type RevocationData = Static<typeof RevocationDataSchema>;
