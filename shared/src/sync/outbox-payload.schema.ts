import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { IdSchema, IsoInstantSchema, UuidSchema } from '../schema/common.schema.js';

/**
 * Payloads of the edge → cloud events, one schema per event type. Extra properties are allowed
 * (an edge may add detail); the listed ones are what the cloud relies on.
 */
const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

/** How a person proved their booking (the seed's check-in `method`, plus staff and kiosk). */
export const CHECK_IN_METHODS = ['qr_code', 'pin', 'booking_code', 'staff', 'kiosk'] as const;
export type CheckInMethod = (typeof CHECK_IN_METHODS)[number];

export const WalkInCreatedPayloadSchema = Type.Object({
  booking_id: UuidSchema,
  simulator_id: UuidSchema,
  start_time: IsoInstantSchema,
  end_time: IsoInstantSchema,
  /** Minutes, as the seed's `bookings.duration`. */
  duration: Type.Integer({ minimum: 1, maximum: 1440 }),
  price_cents: Type.Integer({ minimum: 0 }),
  /**
   * Sold offline beyond the safe horizon (docs/decisions/006-who-sells-which-time.md): the cloud may have to
   * reconcile it.
   */
  provisional: Type.Boolean(),
  reference_code: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
  /** The six-digit door PIN the edge gave the customer; the cloud keeps it (else it issues one). */
  access_code: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
  customer: Type.Optional(
    Type.Object({
      email: Type.Optional(Type.String({ maxLength: 255 })),
      first_name: Type.Optional(Type.String({ maxLength: 255 })),
      last_name: Type.Optional(Type.String({ maxLength: 255 })),
      phone: Type.Optional(Type.String({ maxLength: 20 })),
    }),
  ),
});

export const BookingCheckedInPayloadSchema = Type.Object({
  booking_id: UuidSchema,
  checked_in_at: IsoInstantSchema,
  method: literals(CHECK_IN_METHODS),
});

export const BookingCompletedPayloadSchema = Type.Object({
  booking_id: UuidSchema,
  checked_out_at: IsoInstantSchema,
});

export const BookingNoShowPayloadSchema = Type.Object({
  booking_id: UuidSchema,
  marked_at: IsoInstantSchema,
});

export const DOOR_CREDENTIALS = ['qr_code', 'pin', 'booking_code', 'staff', 'remote'] as const;

/**
 * One access decision: the audit trail of docs/decisions/007-offline-door-credentials.md, granted or denied.
 */
export const DoorDecisionPayloadSchema = Type.Object({
  door_id: IdSchema,
  decision: literals(['granted', 'denied'] as const),
  /** 'valid', a token refusal ('expired', 'forged'…), 'revoked', 'staff_override'… */
  reason: Type.String({ minLength: 1, maxLength: 200 }),
  /** Known only once a token's signature is proven; null for a forged or unreadable code. */
  booking_id: Type.Union([UuidSchema, Type.Null()]),
  credential: literals(DOOR_CREDENTIALS),
  scanner_id: Type.Optional(IdSchema),
});

export const DeviceHealthPayloadSchema = Type.Object({
  device_id: IdSchema,
  /** 'bay_pc', 'door_scanner', 'edge', 'unifi_controller'… */
  device_kind: IdSchema,
  status: literals(['online', 'degraded', 'offline'] as const),
  detail: Type.Optional(Type.String({ maxLength: 1000 })),
});

/**
 * A walk-in sold while the edge was offline at a venue that charges walk-ins by card: its price is
 * owed and collected at the desk once the link is back (docs/decisions/018-payments.md).
 */
export const WalkInToCollectPayloadSchema = Type.Object({
  booking_id: UuidSchema,
  amount_cents: Type.Integer({ minimum: 1, maximum: 99_999_999 }),
});

/**
 * A staff alert the edge opened (door forced or held open, bay PC offline, emergency mode…): queued
 * in its outbox while offline, sent on reconnect. `alert_id` is the edge's row: one incident.
 */
export const StaffAlertRaisedPayloadSchema = Type.Object({
  alert_id: Type.Integer({ minimum: 1 }),
  dedupe_key: Type.String({ minLength: 1, maxLength: 300 }),
  kind: IdSchema,
  severity: literals(['info', 'warning', 'critical'] as const),
  subject: Type.Union([Type.String({ maxLength: 300 }), Type.Null()]),
  message: Type.String({ minLength: 1, maxLength: 2000 }),
  raised_at: IsoInstantSchema,
});

export const OUTBOX_PAYLOAD_SCHEMAS = {
  'walk_in.created': WalkInCreatedPayloadSchema,
  'booking.checked_in': BookingCheckedInPayloadSchema,
  'booking.completed': BookingCompletedPayloadSchema,
  'booking.no_show': BookingNoShowPayloadSchema,
  'door.decision': DoorDecisionPayloadSchema,
  'device.health': DeviceHealthPayloadSchema,
  'walk_in.to_collect': WalkInToCollectPayloadSchema,
  'staff_alert.raised': StaffAlertRaisedPayloadSchema,
} as const satisfies Record<string, TSchema>;

export type OutboxEventType = keyof typeof OUTBOX_PAYLOAD_SCHEMAS;
export const OUTBOX_EVENT_TYPES = Object.keys(OUTBOX_PAYLOAD_SCHEMAS) as OutboxEventType[];

export type OutboxPayloads = { [K in OutboxEventType]: Static<(typeof OUTBOX_PAYLOAD_SCHEMAS)[K]> };
