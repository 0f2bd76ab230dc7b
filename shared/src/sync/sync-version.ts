import { Type } from '@sinclair/typebox';

/**
 * Version of every cloud ↔ edge sync message. A receiver refuses a version it does not know
 * rather than guessing; additive changes (new optional fields, new entity or event types handled
 * by both sides) keep version 1, because receivers ignore unknown properties.
 */
export const SYNC_PROTOCOL_VERSION = 1;
export const SyncVersionSchema = Type.Literal(SYNC_PROTOCOL_VERSION);
