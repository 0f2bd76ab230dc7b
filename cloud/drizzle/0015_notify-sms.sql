CREATE TABLE "sms_opt_outs" (
	"phone" varchar(20) PRIMARY KEY NOT NULL,
	"keyword" varchar(20) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "uq_notification_messages_key";--> statement-breakpoint
ALTER TABLE "notification_messages" ADD COLUMN "channel" varchar(10) DEFAULT 'email' NOT NULL;--> statement-breakpoint
ALTER TABLE "notification_messages" ADD COLUMN "delivery_status" varchar(20);--> statement-breakpoint
ALTER TABLE "notification_messages" ADD COLUMN "delivery_error" text;--> statement-breakpoint
CREATE INDEX "idx_notification_messages_provider" ON "notification_messages" USING btree ("message_id");--> statement-breakpoint
CREATE UNIQUE INDEX "uq_notification_messages_key" ON "notification_messages" USING btree ("booking_id","kind","version","offset_minutes","channel");