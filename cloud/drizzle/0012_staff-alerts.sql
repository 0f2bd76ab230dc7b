CREATE TABLE "staff_alerts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"incident_key" varchar(400) NOT NULL,
	"kind" varchar(128) NOT NULL,
	"severity" varchar(20) NOT NULL,
	"subject" text,
	"message" text NOT NULL,
	"details" jsonb,
	"raised_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "staff_alerts" ADD CONSTRAINT "staff_alerts_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "uq_staff_alerts_incident" ON "staff_alerts" USING btree ("incident_key");--> statement-breakpoint
CREATE INDEX "idx_staff_alerts_facility" ON "staff_alerts" USING btree ("facility_id","raised_at");