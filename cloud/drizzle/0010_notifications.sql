CREATE TABLE "notification_messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"booking_id" uuid NOT NULL,
	"facility_id" uuid NOT NULL,
	"kind" varchar(40) NOT NULL,
	"version" integer NOT NULL,
	"offset_minutes" integer DEFAULT 0 NOT NULL,
	"status" varchar(20) DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"retry_round" integer DEFAULT 0 NOT NULL,
	"recipient" text,
	"last_error" text,
	"message_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"queued_at" timestamp with time zone,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "notification_unsubscribes" (
	"email" varchar(255) PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "uq_notification_messages_key" ON "notification_messages" USING btree ("booking_id","kind","version","offset_minutes");--> statement-breakpoint
CREATE INDEX "idx_notification_messages_pending" ON "notification_messages" USING btree ("id") WHERE "notification_messages"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "idx_notification_messages_status" ON "notification_messages" USING btree ("status","created_at");