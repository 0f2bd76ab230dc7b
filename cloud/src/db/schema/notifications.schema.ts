import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { tstz } from './facilities.schema.js';
import { customers } from './people.schema.js';

/**
 * The notifications outbox (docs/decisions/011-notifications-outbox.md): one row per message,
 * written in the transaction of the change that causes it (or by the reminder job when a reminder
 * falls due). `(booking_id, kind, version)` is unique: a retried job, a second cloud instance or a
 * replayed outbox row finds the row and never makes a second message.
 */
export const notificationMessages = pgTable(
  'notification_messages',
  {
    id: bigserial('id', { mode: 'number' }).notNull(),
    /** The booking the message is about; null for a staff alert's message. */
    bookingId: uuid('booking_id'),
    facilityId: uuid('facility_id').notNull(),
    /**
     * confirmation | reschedule | cancellation | reminder | waitlist_offer | check_in_welcome |
     * no_show | extend_offer | payment_receipt | refund_receipt | staff_alert
     */
    kind: varchar('kind', { length: 40 }).notNull(),
    /** The booking's notification version: 1 when confirmed, +1 on each reschedule or cancellation. */
    version: integer('version').notNull(),
    /** Reminders: minutes before the start (1440, 120); extend offers: the booking's end (epoch minutes); else 0. */
    offsetMinutes: integer('offset_minutes').notNull().default(0),
    /** email | sms: one row per channel, so each channel is sent (and retried) once on its own. */
    channel: varchar('channel', { length: 10 }).notNull().default('email'),
    /** pending → queued → sending → sent | failed | skipped */
    status: varchar('status', { length: 20 }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /** Bumped by a manual retry so the retry gets a job of its own. */
    retryRound: integer('retry_round').notNull().default(0),
    /** A staff alert's message: the alert and the staff member it goes to (one per pair). */
    staffAlertId: bigint('staff_alert_id', { mode: 'number' }),
    userId: uuid('user_id'),
    /** A receipt's payment or refund: a booking has several, each with its one receipt. */
    receiptFor: uuid('receipt_for'),
    recipient: text('recipient'),
    lastError: text('last_error'),
    /** Email: the Message-ID it carries; SMS: the provider's message SID once created. */
    messageId: text('message_id'),
    /** SMS: the carrier's last word from a status callback (queued, sent, delivered, undelivered, failed). */
    deliveryStatus: varchar('delivery_status', { length: 20 }),
    deliveryError: text('delivery_error'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    queuedAt: tstz('queued_at'),
    sentAt: tstz('sent_at'),
  },
  (t) => [
    primaryKey({ columns: [t.facilityId, t.id] }),
    index('idx_notification_messages_id').on(t.id),
    uniqueIndex('uq_notification_messages_key')
      .on(t.facilityId, t.bookingId, t.kind, t.version, t.offsetMinutes, t.channel)
      .where(sql`${t.receiptFor} IS NULL`),
    uniqueIndex('uq_notification_messages_receipt')
      .on(t.facilityId, t.receiptFor, t.kind, t.channel)
      .where(sql`${t.receiptFor} IS NOT NULL`),
    index('idx_notification_messages_provider').on(t.messageId),
    uniqueIndex('uq_notification_messages_staff_alert').on(t.facilityId, t.staffAlertId, t.userId),
    index('idx_notification_messages_pending').on(t.id).where(sql`${t.status} = 'pending'`),
    index('idx_notification_messages_status').on(t.status, t.createdAt),
  ],
);

/** Addresses that unsubscribed (one click, no login) from the messages they may refuse (reminders). */
export const notificationUnsubscribes = pgTable('notification_unsubscribes', {
  email: varchar('email', { length: 255 }).primaryKey(),
  createdAt: tstz('created_at').notNull().defaultNow(),
});

/**
 * Phones that texted STOP (or a carrier opt-out keyword) to our number: nothing goes to them by SMS
 * until they text START. Kept by number, as carriers do, not by customer.
 */
export const smsOptOuts = pgTable('sms_opt_outs', {
  phone: varchar('phone', { length: 20 }).primaryKey(),
  keyword: varchar('keyword', { length: 20 }).notNull(),
  createdAt: tstz('created_at').notNull().defaultNow(),
});

/**
 * A customer's channels for one message kind (guests too: a guest checkout is a `customers` row
 * keyed by its address). No row means every channel; entry kinds keep email or SMS on (the rule is
 * `kindChannelsProblem` in `@clubos/shared/notifications`).
 */
export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    /** confirmation | reschedule | cancellation | reminder | waitlist_offer | check_in_welcome */
    kind: varchar('kind', { length: 40 }).notNull(),
    email: boolean('email').notNull().default(true),
    sms: boolean('sms').notNull().default(true),
    inApp: boolean('in_app').notNull().default(true),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.kind] })],
);
