CREATE TABLE "no_show_fees" (
	"booking_id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"customer_id" uuid,
	"amount_cents" integer NOT NULL,
	"currency" varchar(3) NOT NULL,
	"status" varchar(20) DEFAULT 'pending' NOT NULL,
	"payment_id" uuid,
	"failure_code" varchar(100),
	"failure_message" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "no_show_fee_amount" CHECK ("no_show_fees"."amount_cents" > 0),
	CONSTRAINT "no_show_fee_status" CHECK ("no_show_fees"."status" IN ('pending', 'succeeded', 'failed', 'no_card'))
);
--> statement-breakpoint
CREATE TABLE "saved_cards" (
	"customer_id" uuid PRIMARY KEY NOT NULL,
	"provider_customer_id" varchar(255) NOT NULL,
	"setup_checkout_id" varchar(255),
	"consent_text" text NOT NULL,
	"consented_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "refund_outbox" (
	"refund_id" uuid PRIMARY KEY NOT NULL,
	"booking_id" uuid NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "refund_overrides" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"booking_id" uuid NOT NULL,
	"actor_user_id" uuid NOT NULL,
	"policy_cents" integer NOT NULL,
	"amount_cents" integer NOT NULL,
	"reason" text NOT NULL,
	"kind" varchar(20) DEFAULT 'cancel' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "refund_override_amounts" CHECK ("refund_overrides"."policy_cents" >= 0 AND "refund_overrides"."amount_cents" >= 0)
);
--> statement-breakpoint
ALTER TABLE "no_show_fees" ADD CONSTRAINT "no_show_fees_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_cards" ADD CONSTRAINT "saved_cards_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refund_outbox" ADD CONSTRAINT "refund_outbox_refund_id_refunds_id_fk" FOREIGN KEY ("refund_id") REFERENCES "public"."refunds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refund_overrides" ADD CONSTRAINT "refund_overrides_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_no_show_fees_facility" ON "no_show_fees" USING btree ("facility_id","status");--> statement-breakpoint
CREATE INDEX "idx_refund_outbox_due" ON "refund_outbox" USING btree ("next_attempt_at") WHERE "refund_outbox"."sent_at" IS NULL;--> statement-breakpoint
CREATE INDEX "idx_refund_overrides_booking" ON "refund_overrides" USING btree ("booking_id");