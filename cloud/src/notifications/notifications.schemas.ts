import { Nullable } from '@clubos/shared/api';
import { Type } from '@sinclair/typebox';

const strict = { additionalProperties: false } as const;

export const MessageSchema = Type.Object({
  id: Type.Integer(),
  booking_id: Nullable(Type.String({ description: 'null for a staff alert' })),
  kind: Type.String({ description: 'confirmation | reschedule | cancellation | reminder' }),
  version: Type.Integer({ description: "the booking's notification version the message belongs to" }),
  offset_minutes: Type.Integer({ description: 'reminders: minutes before the start' }),
  channel: Type.String({ description: 'email | sms' }),
  status: Type.String({ description: 'pending | queued | sending | sent | failed | skipped' }),
  attempts: Type.Integer(),
  recipient: Nullable(Type.String()),
  last_error: Nullable(Type.String()),
  message_id: Nullable(Type.String({ description: 'email: its Message-ID; sms: the provider SID' })),
  delivery_status: Nullable(Type.String({ description: 'sms: the carrier status from callbacks' })),
  delivery_error: Nullable(Type.String()),
  created_at: Type.String(),
  sent_at: Nullable(Type.String()),
});

export const StatusQuerySchema = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) },
  strict,
);
export const StatusSchema = Type.Object({
  enabled: Type.Boolean({ description: 'false without SMTP_URL: messages wait in the outbox' }),
  sms_enabled: Type.Boolean({ description: 'false without TWILIO_ACCOUNT_SID' }),
  counts: Type.Record(Type.String(), Type.Integer()),
  by_channel: Type.Record(Type.String(), Type.Record(Type.String(), Type.Integer())),
  failed: Type.Array(MessageSchema),
});
export const MessageParamsSchema = Type.Object({ id: Type.Integer({ minimum: 1 }) });
export const RetrySchema = Type.Object({ message: MessageSchema });
export const UnsubscribeQuerySchema = Type.Object(
  { token: Type.String({ minLength: 3, maxLength: 2000 }) },
  strict,
);
