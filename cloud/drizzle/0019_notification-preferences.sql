CREATE TABLE "notification_preferences" (
	"customer_id" uuid NOT NULL,
	"kind" varchar(40) NOT NULL,
	"email" boolean DEFAULT true NOT NULL,
	"sms" boolean DEFAULT true NOT NULL,
	"in_app" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_preferences_customer_id_kind_pk" PRIMARY KEY("customer_id","kind")
);
--> statement-breakpoint
ALTER TABLE "notification_preferences" ADD CONSTRAINT "notification_preferences_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Addresses that unsubscribed from reminders before per-kind preferences: their reminders stay off by email.
INSERT INTO "notification_preferences" ("customer_id", "kind", "email")
SELECT c."id", 'reminder', false FROM "notification_unsubscribes" u JOIN "customers" c ON c."email" = u."email"
ON CONFLICT DO NOTHING;
