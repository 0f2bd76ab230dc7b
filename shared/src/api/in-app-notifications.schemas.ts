import { type Static, Type } from '@sinclair/typebox';
import { IsoInstantSchema, UuidSchema } from '../schema/index.js';
import { Nullable } from './common.schema.js';

/** The kinds a customer's in-app list shows (every customer message also lands in-app). */
export const IN_APP_KINDS = [
  'confirmation',
  'reschedule',
  'cancellation',
  'reminder',
  'waitlist_offer',
  'check_in_welcome',
  'no_show',
  'extend_offer',
  'payment_receipt',
  'refund_receipt',
] as const;

/** One entry of `GET /api/v1/me/notifications`: what the message says, and whether it was read. */
export const InAppNotificationSchema = Type.Object({
  id: Type.Integer({ minimum: 1 }),
  kind: Type.String({
    description:
      'confirmation | reschedule | cancellation | reminder | waitlist_offer | check_in_welcome | no_show | extend_offer | payment_receipt | refund_receipt',
  }),
  title: Type.String(),
  body: Type.String(),
  booking_id: UuidSchema,
  reference_code: Type.String(),
  created_at: IsoInstantSchema,
  read_at: Nullable(IsoInstantSchema),
});
export type InAppNotification = Static<typeof InAppNotificationSchema>;

export const InAppNotificationListSchema = Type.Object({
  notifications: Type.Array(InAppNotificationSchema),
  unread: Type.Integer({
    minimum: 0,
    description: 'how many of all the customer’s notifications are unread',
  }),
});
export type InAppNotificationList = Static<typeof InAppNotificationListSchema>;

export const InAppListQuerySchema = Type.Object(
  {
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 200, description: 'newest first; 50 unless set' }),
    ),
  },
  { additionalProperties: false },
);

export const InAppParamsSchema = Type.Object(
  { id: Type.Integer({ minimum: 1, description: 'the notification’s id' }) },
  { additionalProperties: false },
);

export const InAppReadSchema = Type.Object({ notification: InAppNotificationSchema });
