import { type Static, Type } from '@sinclair/typebox';
import { IdSchema, IsoInstantSchema, UuidSchema } from '../schema/common.schema.js';
import { SyncVersionSchema } from './sync-version.js';

/** Cloud → edge change feed (docs/decisions/004-change-feed.md). */
export const CHANGE_ENTITIES = [
  'booking',
  'bay',
  'availability_rule',
  'pricing_rule',
  'closure',
  'facility',
  'revocation',
  'customer',
] as const;
export type ChangeEntity = (typeof CHANGE_ENTITIES)[number];
export const ChangeEntitySchema = Type.Union(CHANGE_ENTITIES.map((e) => Type.Literal(e)));

export const CHANGE_OPS = ['upsert', 'delete'] as const;
export type ChangeOp = (typeof CHANGE_OPS)[number];

/** Feed positions fit in a JSON number (PostgreSQL bigserial stays far below 2^53). */
const SeqSchema = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

/** A row's full current state; the shape per entity is the seed table's row in snake_case. */
export const EntityDataSchema = Type.Record(Type.String(), Type.Unknown());

export const ChangeRowSchema = Type.Object({
  /** Position in the facility's log, strictly increasing. */
  seq: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
  facility_id: UuidSchema,
  entity: ChangeEntitySchema,
  op: Type.Union(CHANGE_OPS.map((o) => Type.Literal(o))),
  entity_id: IdSchema,
  /** The whole row for 'upsert' (applied as a replace, so replays are harmless); null for 'delete'. */
  data: Type.Union([EntityDataSchema, Type.Null()]),
  created_at: IsoInstantSchema,
});
export type ChangeRow = Static<typeof ChangeRowSchema>;

export const MAX_CHANGES_PER_BATCH = 1000;

/** `GET /api/v1/edge/changes?after=…` (query strings are coerced to numbers by Fastify's Ajv). */
export const ChangesQuerySchema = Type.Object({
  after: SeqSchema,
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_CHANGES_PER_BATCH })),
  /** Long-poll: hold the request up to this long when nothing is newer than `after`. */
  wait_ms: Type.Optional(Type.Integer({ minimum: 0, maximum: 30_000 })),
});
export type ChangesQuery = Static<typeof ChangesQuerySchema>;

export const ChangesResponseSchema = Type.Object({
  v: SyncVersionSchema,
  facility_id: UuidSchema,
  changes: Type.Array(ChangeRowSchema, { maxItems: MAX_CHANGES_PER_BATCH }),
  /** The cursor to store with the applied batch and send as the next `after`. */
  next_after: SeqSchema,
  /** Latest seq in the log; `head > next_after` means more is waiting. */
  head: SeqSchema,
  /** `after` was compacted away (or the edge is new): load a snapshot, then resume from its seq. */
  snapshot_required: Type.Boolean(),
});
export type ChangesResponse = Static<typeof ChangesResponseSchema>;
