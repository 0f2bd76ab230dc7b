import { describe, expect, it } from 'vitest';
import { validate } from '../schema/validate.js';
import { type OutboxEvent, validateOutboxEvent } from './outbox-event.schema.js';
import { OUTBOX_EVENT_TYPES, type OutboxEventType, type OutboxPayloads } from './outbox-payload.schema.js';
import { uploadAckProblems } from './upload.rules.js';
import { type UploadAck, UploadAckSchema, UploadBatchSchema } from './upload.schema.js';

const FACILITY = '3f2c9a1e-8b7d-4c6e-9f10-1a2b3c4d5e6f';
const BOOKING = 'b0c1d2e3-f405-4617-8829-3a4b5c6d7e8f';
const AT = '2025-08-03T14:00:00Z';

const payloads: OutboxPayloads = {
  'walk_in.created': {
    booking_id: BOOKING,
    simulator_id: '0d9e8f7a-6b5c-4d3e-8f21-0a1b2c3d4e5f',
    start_time: AT,
    end_time: '2025-08-03T15:00:00Z',
    duration: 60,
    price_cents: 4500,
    provisional: false,
    customer: { first_name: 'Ada' },
  },
  'booking.checked_in': { booking_id: BOOKING, checked_in_at: AT, method: 'qr_code' },
  'booking.completed': { booking_id: BOOKING, checked_out_at: AT },
  'booking.no_show': { booking_id: BOOKING, marked_at: AT },
  'door.decision': {
    door_id: 'front',
    decision: 'denied',
    reason: 'expired',
    booking_id: BOOKING,
    credential: 'qr_code',
  },
  'device.health': { device_id: 'bay-3-pc', device_kind: 'bay_pc', status: 'offline' },
  'walk_in.to_collect': { booking_id: BOOKING, amount_cents: 4500 },
  'staff_alert.raised': {
    alert_id: 7,
    dedupe_key: 'door_position:front',
    kind: 'door_forced_open',
    severity: 'critical',
    subject: 'front',
    message: 'Front door forced open',
    raised_at: AT,
  },
};

function event<T extends OutboxEventType>(type: T, n = 1): OutboxEvent<T> {
  return {
    v: 1,
    event_id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    type,
    occurred_at: AT,
    facility_id: FACILITY,
    payload: payloads[type],
  } as OutboxEvent<T>;
}

describe('outbox events', () => {
  it.each(OUTBOX_EVENT_TYPES)('accepts a well-formed %s event', (type) => {
    expect(validateOutboxEvent(event(type))).toEqual({ ok: true, value: event(type) });
  });

  it('names the payload field that is wrong for the event type', () => {
    const bad = { ...event('booking.checked_in'), payload: { checked_in_at: AT, method: 'telepathy' } };
    const result = validateOutboxEvent(bad);
    expect(result.ok ? [] : result.errors.map((e) => e.field)).toEqual([
      'payload.booking_id',
      'payload.method',
    ]);
  });

  it('refuses an unknown type or version in the envelope before looking at the payload', () => {
    const result = validateOutboxEvent({ ...event('booking.no_show'), type: 'booking.teleported', v: 2 });
    expect(result.ok ? [] : result.errors.map((e) => e.field)).toEqual(['v', 'type']);
    const noId = validateOutboxEvent({ ...event('booking.no_show'), event_id: 'not-a-uuid' });
    expect(noId.ok ? '' : noId.errors[0]!.message).toBe("Expected UUID, got 'not-a-uuid'");
  });
});

describe('upload batch and acknowledgement', () => {
  it('lets one bad event through the batch schema so it can be rejected alone', () => {
    const events = [
      event('booking.no_show', 1),
      { event_id: '00000000-0000-4000-8000-000000000002', type: '?' },
    ];
    expect(validate(UploadBatchSchema, { v: 1, facility_id: FACILITY, events }).ok).toBe(true);
    const noId = validate(UploadBatchSchema, { v: 1, facility_id: FACILITY, events: [{ type: '?' }] });
    expect(noId.ok ? [] : noId.errors.map((e) => e.field)).toEqual(['events[0].event_id']);
    expect(validate(UploadBatchSchema, { v: 1, facility_id: FACILITY, events: [] }).ok).toBe(false);
  });

  it('checks that an acknowledgement answers every event exactly once', () => {
    const ids = [1, 2, 3].map((n) => event('booking.no_show', n).event_id);
    const ack: UploadAck = {
      v: 1,
      results: [
        { event_id: ids[0]!, status: 'accepted' },
        { event_id: ids[1]!.toUpperCase(), status: 'duplicate' },
        { event_id: ids[2]!, status: 'rejected', reason: 'payload.booking_id: Expected UUID' },
      ],
    };
    expect(validate(UploadAckSchema, ack).ok).toBe(true);
    expect(uploadAckProblems(ids, ack)).toEqual([]);
    const partial: UploadAck = {
      v: 1,
      results: [
        { event_id: ids[0]!, status: 'accepted' },
        { event_id: ids[0]!, status: 'accepted' },
        { event_id: '00000000-0000-4000-8000-000000000009', status: 'accepted' },
        { event_id: ids[2]!, status: 'rejected' },
      ],
    };
    expect(uploadAckProblems(ids, partial)).toEqual([
      { field: 'results[1].event_id', message: `${ids[0]} is answered twice` },
      { field: 'results[2].event_id', message: '00000000-0000-4000-8000-000000000009 was not in the batch' },
      { field: 'results[3].reason', message: 'is required for a rejected event' },
      { field: 'results', message: `has no result for event ${ids[1]}` },
    ]);
  });
});
