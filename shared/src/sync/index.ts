export type { BookingFeedData } from './booking-feed.schema.js';
export { BookingFeedDataSchema, BookingFeedPreferencesSchema } from './booking-feed.schema.js';
export { changesBatchProblems } from './change-feed.rules.js';
export type {
  ChangeEntity,
  ChangeOp,
  ChangeRow,
  ChangesQuery,
  ChangesResponse,
} from './change-feed.schema.js';
export {
  CHANGE_ENTITIES,
  CHANGE_OPS,
  ChangeEntitySchema,
  ChangeRowSchema,
  ChangesQuerySchema,
  ChangesResponseSchema,
  EntityDataSchema,
  MAX_CHANGES_PER_BATCH,
} from './change-feed.schema.js';
export type { FeedHeadEvent } from './feed-head-event.js';
export {
  decodeFeedHeadEvent,
  encodeFeedHeadEvent,
  FEED_HEAD_EVENT,
  FeedHeadEventSchema,
} from './feed-head-event.js';
export type { OutboxEvent } from './outbox-event.schema.js';
export { OutboxEventSchema, validateOutboxEvent } from './outbox-event.schema.js';
export type { CheckInMethod, OutboxEventType, OutboxPayloads } from './outbox-payload.schema.js';
export {
  BookingCheckedInPayloadSchema,
  BookingCompletedPayloadSchema,
  BookingNoShowPayloadSchema,
  CHECK_IN_METHODS,
  DeviceHealthPayloadSchema,
  DOOR_CREDENTIALS,
  DoorDecisionPayloadSchema,
  OUTBOX_EVENT_TYPES,
  OUTBOX_PAYLOAD_SCHEMAS,
  WalkInCreatedPayloadSchema,
} from './outbox-payload.schema.js';
export type { RevocationData, Snapshot, SnapshotItem } from './snapshot.schema.js';
export { RevocationDataSchema, SnapshotItemSchema, SnapshotSchema } from './snapshot.schema.js';
export { SYNC_PROTOCOL_VERSION, SyncVersionSchema } from './sync-version.js';
export { uploadAckProblems } from './upload.rules.js';
export type { UploadAck, UploadBatch, UploadResult, UploadResultStatus } from './upload.schema.js';
export {
  MAX_EVENTS_PER_UPLOAD,
  UPLOAD_RESULT_STATUSES,
  UploadAckSchema,
  UploadBatchSchema,
  UploadResultSchema,
} from './upload.schema.js';
