import { type Static, Type } from '@sinclair/typebox';
import { type DecodeResult, decodeJsonPayload } from '../mqtt/payload.codec.js';

/**
 * The one event of the edge push stream (`GET /api/v1/edge/changes/stream`, Server-Sent Events):
 * the facility's change-log head, on connect and whenever it moves. It carries no rows; an edge
 * whose cursor is below `head` pulls `changes?after=cursor`, so the feed stays the only way rows
 * reach an edge.
 */
export const FEED_HEAD_EVENT = 'head';

export const FeedHeadEventSchema = Type.Object({
  facility_id: Type.String({ minLength: 1 }),
  head: Type.Integer({ minimum: 0 }),
});
export type FeedHeadEvent = Static<typeof FeedHeadEventSchema>;

/** The SSE block the cloud writes for a head. */
export function encodeFeedHeadEvent(event: FeedHeadEvent): string {
  return `event: ${FEED_HEAD_EVENT}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** An SSE `data` of a head event, checked: a bad one is reported, never thrown. */
export function decodeFeedHeadEvent(data: string): DecodeResult<FeedHeadEvent> {
  return decodeJsonPayload(FeedHeadEventSchema, data, 'feed head event');
}
