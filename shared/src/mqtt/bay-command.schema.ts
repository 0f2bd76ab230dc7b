import { type Static, Type } from '@sinclair/typebox';
import { type DecodeResult, decodeJsonPayload, ISO_INSTANT_PATTERN } from './payload.codec.js';

/**
 * Commands the edge sends to a bay PC on `clubos/{facility}/bays/{bay}/command` (QoS 1). QoS 1
 * may deliver a command twice, so each carries a `command_id` the device uses to apply it once;
 * `booking_id` lets the device refuse a command meant for another session.
 */
const IsoInstant = Type.String({ pattern: ISO_INSTANT_PATTERN });
const Id = Type.String({ minLength: 1, maxLength: 128 });

const base = {
  command_id: Id,
  booking_id: Id,
  /** When the edge issued the command (ISO-8601 UTC). */
  issued_at: IsoInstant,
};

/** The customer's stored preferences (seed `customers.preferences`, e.g. equipment, climate). */
export const BayPreferencesSchema = Type.Record(Type.String(), Type.Unknown());
export type BayPreferences = Static<typeof BayPreferencesSchema>;

export const SessionPrepareCommandSchema = Type.Object({
  type: Type.Literal('session.prepare'),
  ...base,
  starts_at: IsoInstant,
  ends_at: IsoInstant,
  customer_name: Type.Optional(Type.String({ maxLength: 200 })),
  preferences: BayPreferencesSchema,
});

export const SessionStartCommandSchema = Type.Object({
  type: Type.Literal('session.start'),
  ...base,
  ends_at: IsoInstant,
});

/**
 * The "10 minutes left — extend?" prompt a warn may carry: the next slot on the bay is free, so
 * the bay PC shows `text` and the extension (`minutes`, ending at `until`); the customer extends
 * with the texted link or at the desk.
 */
export const ExtendOfferSchema = Type.Object({
  minutes: Type.Integer({ minimum: 1, maximum: 240 }),
  until: IsoInstant,
  text: Type.String({ minLength: 1, maxLength: 200 }),
});
export type ExtendOffer = Static<typeof ExtendOfferSchema>;

export const SessionWarnCommandSchema = Type.Object({
  type: Type.Literal('session.warn'),
  ...base,
  minutes_left: Type.Integer({ minimum: 0, maximum: 24 * 60 }),
  extend_offer: Type.Optional(ExtendOfferSchema),
});

export const SessionEndCommandSchema = Type.Object({
  type: Type.Literal('session.end'),
  ...base,
});

export const BayCommandSchema = Type.Union([
  SessionPrepareCommandSchema,
  SessionStartCommandSchema,
  SessionWarnCommandSchema,
  SessionEndCommandSchema,
]);

export type SessionPrepareCommand = Static<typeof SessionPrepareCommandSchema>;
export type SessionStartCommand = Static<typeof SessionStartCommandSchema>;
export type SessionWarnCommand = Static<typeof SessionWarnCommandSchema>;
export type SessionEndCommand = Static<typeof SessionEndCommandSchema>;
export type BayCommand = Static<typeof BayCommandSchema>;
export type BayCommandType = BayCommand['type'];

export const BAY_COMMAND_TYPES: readonly BayCommandType[] = [
  'session.prepare',
  'session.start',
  'session.warn',
  'session.end',
];

const commandSchemaByType = {
  'session.prepare': SessionPrepareCommandSchema,
  'session.start': SessionStartCommandSchema,
  'session.warn': SessionWarnCommandSchema,
  'session.end': SessionEndCommandSchema,
} as const;

/**
 * Decodes a command payload. The `type` is looked up first so the error names the field of the
 * command actually sent, not the first branch of the union.
 */
export function decodeBayCommand(payload: Uint8Array | string): DecodeResult<BayCommand> {
  const probe = decodeJsonPayload(Type.Object({ type: Type.String() }), payload, 'bay command');
  if (!probe.ok) return probe;
  const type = probe.value.type;
  if (!(type in commandSchemaByType)) {
    return {
      ok: false,
      error: `bay command: /type ${JSON.stringify(type)} is not one of ${BAY_COMMAND_TYPES.join(', ')}`,
    };
  }
  return decodeJsonPayload(commandSchemaByType[type as BayCommandType], payload, `bay command ${type}`);
}
