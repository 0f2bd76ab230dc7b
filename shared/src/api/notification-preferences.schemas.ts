import { type Static, type TOptional, Type } from '@sinclair/typebox';
import { CUSTOMER_MESSAGE_KINDS, type CustomerMessageKind } from '../notifications/kind-preferences.js';

/** A kind's channels as stored and sent: all three, so a change is never half a choice. */
export const KindChannelsSchema = Type.Object(
  { email: Type.Boolean(), sms: Type.Boolean(), in_app: Type.Boolean() },
  { additionalProperties: false },
);

/** One kind on the preferences page: its label, whether it carries the door PIN, its channels. */
export const KindPreferenceSchema = Type.Object({
  kind: Type.String({ description: CUSTOMER_MESSAGE_KINDS.join(' | ') }),
  label: Type.String(),
  /** Carries the door PIN: email or SMS stays on. */
  entry: Type.Boolean(),
  email: Type.Boolean(),
  sms: Type.Boolean(),
  in_app: Type.Boolean(),
});

/** `GET|PUT /api/v1/me/notification-preferences` and the email link's tokenised variant. */
export const NotificationPreferencesSchema = Type.Object({
  /** The address the choices belong to (a guest has no login: the link's token names them). */
  email: Type.String(),
  /** The customer's overall switches (`preferences.notifications`); a kind's channel needs both. */
  overall: Type.Object({ email: Type.Boolean(), sms: Type.Boolean() }),
  kinds: Type.Array(KindPreferenceSchema),
});
export type NotificationPreferences = Static<typeof NotificationPreferencesSchema>;

const byKind = Object.fromEntries(
  CUSTOMER_MESSAGE_KINDS.map((kind) => [kind, Type.Optional(KindChannelsSchema)]),
) as Record<CustomerMessageKind, TOptional<typeof KindChannelsSchema>>;

/** A change: the kinds named are replaced, the others kept. */
export const UpdateNotificationPreferencesSchema = Type.Object(
  {
    kinds: Type.Object(byKind, { additionalProperties: false, minProperties: 1 }),
  },
  { additionalProperties: false },
);
export type UpdateNotificationPreferences = Static<typeof UpdateNotificationPreferencesSchema>;

export const PreferencesTokenQuerySchema = Type.Object(
  { token: Type.String({ minLength: 3, maxLength: 2000 }) },
  { additionalProperties: false },
);

/** The email link: the customer's token and the kind the message was. */
export const UnsubscribeKindQuerySchema = Type.Object(
  {
    token: Type.String({ minLength: 3, maxLength: 2000 }),
    kind: Type.Optional(Type.String({ maxLength: 40, description: 'the kind to stop (default reminder)' })),
  },
  { additionalProperties: false },
);
