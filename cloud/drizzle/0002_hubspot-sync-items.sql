CREATE TABLE "hubspot_sync_items" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "hubspot_sync_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" varchar(30) NOT NULL,
	"customer_id" uuid NOT NULL,
	"booking_id" uuid,
	"event_key" varchar(200),
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" varchar(20) DEFAULT 'pending' NOT NULL,
	"revision" integer DEFAULT 0 NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_attempt_at" timestamp with time zone,
	"last_error" text,
	"hubspot_id" varchar(64),
	"result" varchar(20),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"done_at" timestamp with time zone,
	CONSTRAINT "hubspot_sync_items_event_key_unique" UNIQUE("event_key")
);
--> statement-breakpoint
ALTER TABLE "hubspot_sync_items" ADD CONSTRAINT "hubspot_sync_items_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hubspot_sync_items" ADD CONSTRAINT "hubspot_sync_items_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_hubspot_sync_items_due" ON "hubspot_sync_items" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "idx_hubspot_sync_items_customer" ON "hubspot_sync_items" USING btree ("customer_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "uq_hubspot_sync_items_pending_contact" ON "hubspot_sync_items" USING btree ("customer_id") WHERE kind = 'contact.upsert' AND status = 'pending';