DROP INDEX "uq_notification_messages_key";--> statement-breakpoint
ALTER TABLE "notification_messages" ADD COLUMN "receipt_for" uuid;--> statement-breakpoint
CREATE UNIQUE INDEX "uq_notification_messages_receipt" ON "notification_messages" USING btree ("facility_id","receipt_for","kind","channel") WHERE "notification_messages"."receipt_for" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "uq_notification_messages_key" ON "notification_messages" USING btree ("facility_id","booking_id","kind","version","offset_minutes","channel") WHERE "notification_messages"."receipt_for" IS NULL;