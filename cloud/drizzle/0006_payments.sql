CREATE TABLE "facility_payment_policies" (
	"facility_id" uuid PRIMARY KEY NOT NULL,
	"mode" varchar(20) NOT NULL,
	"deposit_bps" integer,
	"deposit_cents" integer,
	"no_show_fee_cents" integer DEFAULT 0 NOT NULL,
	"card_on_file_required" boolean DEFAULT false NOT NULL,
	"currency" varchar(3) DEFAULT 'usd' NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_policy_mode" CHECK ("facility_payment_policies"."mode" IN ('full', 'deposit', 'at_venue')),
	CONSTRAINT "payment_policy_deposit" CHECK (("facility_payment_policies"."mode" = 'deposit') = (num_nonnulls("facility_payment_policies"."deposit_bps", "facility_payment_policies"."deposit_cents") = 1)),
	CONSTRAINT "payment_policy_amounts" CHECK ("facility_payment_policies"."no_show_fee_cents" >= 0 AND coalesce("facility_payment_policies"."deposit_cents", 1) > 0)
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"booking_id" uuid NOT NULL,
	"facility_id" uuid NOT NULL,
	"kind" varchar(20) NOT NULL,
	"provider" varchar(20) NOT NULL,
	"attempt" integer DEFAULT 1 NOT NULL,
	"provider_checkout_id" varchar(255),
	"provider_payment_id" varchar(255),
	"amount_cents" integer NOT NULL,
	"currency" varchar(3) NOT NULL,
	"status" varchar(20) DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"succeeded_at" timestamp with time zone,
	CONSTRAINT "payments_provider_checkout_id_unique" UNIQUE("provider_checkout_id"),
	CONSTRAINT "payments_provider_payment_id_unique" UNIQUE("provider_payment_id"),
	CONSTRAINT "uq_payments_booking_kind_attempt" UNIQUE("booking_id","kind","attempt"),
	CONSTRAINT "payment_amount" CHECK ("payments"."amount_cents" >= 0),
	CONSTRAINT "payment_status" CHECK ("payments"."status" IN ('pending', 'failed', 'canceled', 'succeeded'))
);
--> statement-breakpoint
CREATE TABLE "refunds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"payment_id" uuid NOT NULL,
	"booking_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"amount_cents" integer NOT NULL,
	"reason" text NOT NULL,
	"actor" varchar(64) NOT NULL,
	"provider_refund_id" varchar(255),
	"status" varchar(20) DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "refunds_provider_refund_id_unique" UNIQUE("provider_refund_id"),
	CONSTRAINT "uq_refunds_booking_seq" UNIQUE("booking_id","seq"),
	CONSTRAINT "refund_amount" CHECK ("refunds"."amount_cents" > 0),
	CONSTRAINT "refund_status" CHECK ("refunds"."status" IN ('pending', 'succeeded', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "stripe_events" (
	"id" varchar(255) PRIMARY KEY NOT NULL,
	"type" varchar(100) NOT NULL,
	"payload" jsonb NOT NULL,
	"booking_id" uuid,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"applied_at" timestamp with time zone,
	"held_reason" text
);
--> statement-breakpoint
ALTER TABLE "facility_payment_policies" ADD CONSTRAINT "facility_payment_policies_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "facility_payment_policies" ADD CONSTRAINT "facility_payment_policies_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_payments_booking" ON "payments" USING btree ("booking_id");--> statement-breakpoint
CREATE INDEX "idx_refunds_payment" ON "refunds" USING btree ("payment_id");--> statement-breakpoint
CREATE INDEX "idx_stripe_events_unapplied" ON "stripe_events" USING btree ("received_at") WHERE "stripe_events"."applied_at" IS NULL;