import { type Static, Type } from '@sinclair/typebox';
import { IsoInstantSchema } from '../../schema/common.schema.js';
import { Nullable } from '../common.schema.js';

export const DoorParamsSchema = Type.Object({ door_id: Type.String({ minLength: 1, maxLength: 128 }) });

/** A credential presented at a door from the kiosk or console: exactly one of the two. */
export const DoorDecisionBodySchema = Type.Object(
  {
    qr_code: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
    pin: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
  },
  { additionalProperties: false },
);

export const DoorDecisionSchema = Type.Object({
  door_id: Type.String(),
  decision: Type.Union([Type.Literal('granted'), Type.Literal('denied')]),
  outcome: Type.Union([
    Type.Literal('granted'),
    Type.Literal('granted_unlock_failed'),
    Type.Literal('denied'),
  ]),
  reason: Type.String(),
  booking_id: Nullable(Type.String()),
  credential: Type.String(),
  decided_at: IsoInstantSchema,
  unlock_error: Nullable(Type.String()),
});
export type DoorDecision = Static<typeof DoorDecisionSchema>;

export const EMERGENCY_MODES = ['lockdown', 'evacuation', 'normal'] as const;
export type EmergencyMode = (typeof EMERGENCY_MODES)[number];

export const EmergencyBodySchema = Type.Object(
  { mode: Type.Union(EMERGENCY_MODES.map((m) => Type.Literal(m))) },
  { additionalProperties: false },
);
export const EmergencySchema = Type.Object({ lockdown: Type.Boolean(), evacuation: Type.Boolean() });
export type Emergency = Static<typeof EmergencySchema>;

export const UnlockBodySchema = Type.Object(
  { reason: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);
export const UnlockSchema = Type.Object({
  door_id: Type.String(),
  unlocked_at: IsoInstantSchema,
  actor: Type.String(),
});
export type Unlock = Static<typeof UnlockSchema>;

export const DEVICE_KINDS = ['bay_pc', 'door_scanner'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/** A manager registers an MQTT login for a bay PC or a door scanner; the secret is shown once. */
export const DeviceRegistrationBodySchema = Type.Object(
  {
    kind: Type.Union(DEVICE_KINDS.map((k) => Type.Literal(k))),
    target_id: Type.String({ minLength: 1, maxLength: 128 }),
    username: Type.Optional(Type.String({ minLength: 3, maxLength: 128, pattern: '^[A-Za-z0-9._:-]+$' })),
  },
  { additionalProperties: false },
);
export const DeviceCredentialsSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  password: Type.String(),
  kind: Type.String(),
  target_id: Type.String(),
});
export const DeviceSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  target_id: Type.String(),
  username: Type.String(),
  revoked: Type.Boolean(),
  presence: Type.String(),
  presence_at: Nullable(IsoInstantSchema),
  state: Nullable(Type.Record(Type.String(), Type.Unknown())),
});
export const DeviceListSchema = Type.Object({ devices: Type.Array(DeviceSchema) });
