import { bigint, foreignKey, pgTable, primaryKey, uuid } from 'drizzle-orm/pg-core';
import { tstz } from './facilities.schema.js';
import { notificationMessages } from './notifications.schema.js';

/**
 * When a customer read an in-app notification. The in-app list is the customer's outbox rows
 * themselves (one row per message, exactly once by its key), so only the read mark is stored.
 */
export const notificationReads = pgTable(
  'notification_reads',
  {
    facilityId: uuid('facility_id').notNull(),
    messageId: bigint('message_id', { mode: 'number' }).notNull(),
    readAt: tstz('read_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.facilityId, t.messageId] }),
    foreignKey({
      columns: [t.facilityId, t.messageId],
      foreignColumns: [notificationMessages.facilityId, notificationMessages.id],
    }).onDelete('cascade'),
  ],
);
