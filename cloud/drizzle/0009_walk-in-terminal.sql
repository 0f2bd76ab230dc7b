CREATE TABLE "facility_terminal_readers" (
	"facility_id" uuid PRIMARY KEY NOT NULL,
	"reader_id" varchar(255) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "walk_in_dues" (
	"booking_id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"amount_cents" integer NOT NULL,
	"currency" varchar(3) NOT NULL,
	"status" varchar(10) DEFAULT 'owed' NOT NULL,
	"method" varchar(10),
	"payment_id" uuid,
	"settled_by" varchar(64),
	"settled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "walk_in_due_amount" CHECK ("walk_in_dues"."amount_cents" > 0),
	CONSTRAINT "walk_in_due_status" CHECK ("walk_in_dues"."status" IN ('owed', 'settled')),
	CONSTRAINT "walk_in_due_method" CHECK ("walk_in_dues"."method" IS NULL OR "walk_in_dues"."method" IN ('cash', 'card'))
);
--> statement-breakpoint
ALTER TABLE "facility_terminal_readers" ADD CONSTRAINT "facility_terminal_readers_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "walk_in_dues" ADD CONSTRAINT "walk_in_dues_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_walk_in_dues_facility" ON "walk_in_dues" USING btree ("facility_id","status");