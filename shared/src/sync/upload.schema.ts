import { type Static, Type } from '@sinclair/typebox';
import { UuidSchema } from '../schema/common.schema.js';
import { SyncVersionSchema } from './sync-version.js';

export const MAX_EVENTS_PER_UPLOAD = 500;

/**
 * `POST /api/v1/edge/events`. Events are only checked for an `event_id` here: the cloud validates
 * each one with `validateOutboxEvent` and rejects it alone. Refusing the whole batch for one bad
 * event would make the edge retry it forever and block every event queued behind it.
 */
export const UploadBatchSchema = Type.Object({
  v: SyncVersionSchema,
  facility_id: UuidSchema,
  events: Type.Array(Type.Object({ event_id: UuidSchema }), { minItems: 1, maxItems: MAX_EVENTS_PER_UPLOAD }),
});
export type UploadBatch = Static<typeof UploadBatchSchema>;

export const UPLOAD_RESULT_STATUSES = ['accepted', 'duplicate', 'rejected'] as const;
export type UploadResultStatus = (typeof UPLOAD_RESULT_STATUSES)[number];

/**
 * One result per uploaded event. `accepted` and `duplicate` both mean "stored": the edge deletes
 * the event. `rejected` is final (retrying cannot fix it): the edge deletes it too but keeps the
 * `reason` visible to staff. Transient failures are not per-event: the whole request fails
 * (5xx/429) and the edge retries the batch with backoff.
 */
export const UploadResultSchema = Type.Object({
  event_id: UuidSchema,
  status: Type.Union(UPLOAD_RESULT_STATUSES.map((s) => Type.Literal(s))),
  /** Required when `status` is 'rejected': which field was wrong and why. */
  reason: Type.Optional(Type.String({ maxLength: 1000 })),
});
export type UploadResult = Static<typeof UploadResultSchema>;

export const UploadAckSchema = Type.Object({
  v: SyncVersionSchema,
  results: Type.Array(UploadResultSchema, { maxItems: MAX_EVENTS_PER_UPLOAD }),
});
export type UploadAck = Static<typeof UploadAckSchema>;
