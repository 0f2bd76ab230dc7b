ALTER TABLE "notification_messages" ALTER COLUMN "booking_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "notification_messages" ADD COLUMN "staff_alert_id" bigint;--> statement-breakpoint
ALTER TABLE "notification_messages" ADD COLUMN "user_id" uuid;--> statement-breakpoint
CREATE UNIQUE INDEX "uq_notification_messages_staff_alert" ON "notification_messages" USING btree ("staff_alert_id","user_id");