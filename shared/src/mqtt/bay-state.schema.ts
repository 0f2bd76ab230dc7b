import { type Static, Type } from '@sinclair/typebox';
import { type DecodeResult, decodeJsonPayload, ISO_INSTANT_PATTERN, payloadText } from './payload.codec.js';

/**
 * What a bay PC reports on `…/bays/{bay}/state` (retained, so an edge that restarts learns every
 * bay's state at once) and `…/bays/{bay}/presence` (retained; the device's last will sets
 * `offline` when its connection drops without a DISCONNECT).
 */
export const BAY_DEVICE_STATUSES = ['idle', 'preparing', 'in_session', 'cleanup', 'error'] as const;
export type BayDeviceStatus = (typeof BAY_DEVICE_STATUSES)[number];

const NullableId = Type.Union([Type.String({ minLength: 1, maxLength: 128 }), Type.Null()]);

export const BayStateMessageSchema = Type.Object({
  bay_id: Type.String({ minLength: 1, maxLength: 128 }),
  status: Type.Union(BAY_DEVICE_STATUSES.map((s) => Type.Literal(s))),
  /** The booking the bay is preparing, running or cleaning up after; null when idle. */
  booking_id: NullableId,
  /** The last command the device applied (duplicates and rejected commands do not change it). */
  last_command_id: NullableId,
  /** The last command the device refused, with `reason`; lets the edge tell which one failed. */
  rejected_command_id: NullableId,
  /** Why the bay is in `error`; null otherwise. */
  reason: Type.Union([Type.String(), Type.Null()]),
  /** Minutes left as last announced by `session.warn`; null outside a warned session. */
  minutes_left: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  ends_at: Type.Union([Type.String({ pattern: ISO_INSTANT_PATTERN }), Type.Null()]),
  updated_at: Type.String({ pattern: ISO_INSTANT_PATTERN }),
});
export type BayStateMessage = Static<typeof BayStateMessageSchema>;

export function decodeBayState(payload: Uint8Array | string): DecodeResult<BayStateMessage> {
  return decodeJsonPayload(BayStateMessageSchema, payload, 'bay state');
}

/** Presence is a bare word rather than JSON so the last will stays a constant payload. */
export const BAY_PRESENCE_VALUES = ['online', 'offline'] as const;
export type BayPresence = (typeof BAY_PRESENCE_VALUES)[number];
export const BayPresenceSchema = Type.Union(BAY_PRESENCE_VALUES.map((p) => Type.Literal(p)));

export function decodeBayPresence(payload: Uint8Array | string): DecodeResult<BayPresence> {
  const text = payloadText(payload);
  if (text === 'online' || text === 'offline') return { ok: true, value: text };
  return {
    ok: false,
    error: `bay presence: expected "online" or "offline", got ${JSON.stringify(text.slice(0, 40))}`,
  };
}
