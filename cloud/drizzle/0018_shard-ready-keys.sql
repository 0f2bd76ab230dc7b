-- docs/decisions/019-sharding-by-facility.md: facility_id leads every booking-scoped key and the
-- no-overlap exclusion constraint, so a facility-distributed PostgreSQL (Citus) takes the schema as it is.
-- Hand-ordered: foreign keys on the old keys go first, new columns are backfilled before NOT NULL.
ALTER TABLE "access_tokens" DROP CONSTRAINT "access_tokens_booking_id_bookings_id_fk";--> statement-breakpoint
ALTER TABLE "waitlist_entries" DROP CONSTRAINT "waitlist_entries_offer_booking_id_bookings_id_fk";--> statement-breakpoint
-- The HubSpot queue spans facilities and has no facility_id: it keeps booking_id without a foreign key.
ALTER TABLE "hubspot_sync_items" DROP CONSTRAINT "hubspot_sync_items_booking_id_bookings_id_fk";--> statement-breakpoint
ALTER TABLE "notification_reads" DROP CONSTRAINT "notification_reads_message_id_notification_messages_id_fk";--> statement-breakpoint
ALTER TABLE "refund_outbox" DROP CONSTRAINT "refund_outbox_refund_id_refunds_id_fk";--> statement-breakpoint
ALTER TABLE "refunds" DROP CONSTRAINT "refunds_payment_id_payments_id_fk";--> statement-breakpoint
ALTER TABLE "access_tokens" ADD COLUMN "facility_id" uuid;--> statement-breakpoint
UPDATE "access_tokens" t SET "facility_id" = b."facility_id" FROM "bookings" b WHERE b."id" = t."booking_id";--> statement-breakpoint
ALTER TABLE "access_tokens" ALTER COLUMN "facility_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "refunds" ADD COLUMN "facility_id" uuid;--> statement-breakpoint
-- From the payment, which carries its booking's facility and outlives an expired hold's row.
UPDATE "refunds" r SET "facility_id" = p."facility_id" FROM "payments" p WHERE p."id" = r."payment_id";--> statement-breakpoint
ALTER TABLE "refunds" ALTER COLUMN "facility_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "refund_outbox" ADD COLUMN "facility_id" uuid;--> statement-breakpoint
UPDATE "refund_outbox" o SET "facility_id" = r."facility_id" FROM "refunds" r WHERE r."id" = o."refund_id";--> statement-breakpoint
ALTER TABLE "refund_outbox" ALTER COLUMN "facility_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "refund_overrides" ADD COLUMN "facility_id" uuid;--> statement-breakpoint
UPDATE "refund_overrides" o SET "facility_id" = coalesce(
  (SELECT b."facility_id" FROM "bookings" b WHERE b."id" = o."booking_id"),
  (SELECT p."facility_id" FROM "payments" p WHERE p."booking_id" = o."booking_id" LIMIT 1)
);--> statement-breakpoint
ALTER TABLE "refund_overrides" ALTER COLUMN "facility_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "notification_reads" ADD COLUMN "facility_id" uuid;--> statement-breakpoint
UPDATE "notification_reads" r SET "facility_id" = m."facility_id" FROM "notification_messages" m WHERE m."id" = r."message_id";--> statement-breakpoint
ALTER TABLE "notification_reads" ALTER COLUMN "facility_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "bookings" DROP CONSTRAINT "bookings_pkey";--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_facility_id_id_pk" PRIMARY KEY("facility_id","id");--> statement-breakpoint
ALTER TABLE "access_tokens" DROP CONSTRAINT "access_tokens_pkey";--> statement-breakpoint
ALTER TABLE "access_tokens" ADD CONSTRAINT "access_tokens_facility_id_id_pk" PRIMARY KEY("facility_id","id");--> statement-breakpoint
ALTER TABLE "waitlist_entries" DROP CONSTRAINT "waitlist_entries_pkey";--> statement-breakpoint
ALTER TABLE "waitlist_entries" ADD CONSTRAINT "waitlist_entries_facility_id_id_pk" PRIMARY KEY("facility_id","id");--> statement-breakpoint
ALTER TABLE "notification_messages" DROP CONSTRAINT "notification_messages_pkey";--> statement-breakpoint
ALTER TABLE "notification_messages" ADD CONSTRAINT "notification_messages_facility_id_id_pk" PRIMARY KEY("facility_id","id");--> statement-breakpoint
ALTER TABLE "notification_reads" DROP CONSTRAINT "notification_reads_pkey";--> statement-breakpoint
ALTER TABLE "notification_reads" ADD CONSTRAINT "notification_reads_facility_id_message_id_pk" PRIMARY KEY("facility_id","message_id");--> statement-breakpoint
ALTER TABLE "payments" DROP CONSTRAINT "payments_pkey";--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_facility_id_id_pk" PRIMARY KEY("facility_id","id");--> statement-breakpoint
ALTER TABLE "refunds" DROP CONSTRAINT "refunds_pkey";--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_facility_id_id_pk" PRIMARY KEY("facility_id","id");--> statement-breakpoint
ALTER TABLE "refund_outbox" DROP CONSTRAINT "refund_outbox_pkey";--> statement-breakpoint
ALTER TABLE "refund_outbox" ADD CONSTRAINT "refund_outbox_facility_id_refund_id_pk" PRIMARY KEY("facility_id","refund_id");--> statement-breakpoint
ALTER TABLE "refund_overrides" DROP CONSTRAINT "refund_overrides_pkey";--> statement-breakpoint
ALTER TABLE "refund_overrides" ADD CONSTRAINT "refund_overrides_facility_id_id_pk" PRIMARY KEY("facility_id","id");--> statement-breakpoint
ALTER TABLE "no_show_fees" DROP CONSTRAINT "no_show_fees_pkey";--> statement-breakpoint
ALTER TABLE "no_show_fees" ADD CONSTRAINT "no_show_fees_facility_id_booking_id_pk" PRIMARY KEY("facility_id","booking_id");--> statement-breakpoint
ALTER TABLE "walk_in_dues" DROP CONSTRAINT "walk_in_dues_pkey";--> statement-breakpoint
ALTER TABLE "walk_in_dues" ADD CONSTRAINT "walk_in_dues_facility_id_booking_id_pk" PRIMARY KEY("facility_id","booking_id");--> statement-breakpoint
ALTER TABLE "bookings" DROP CONSTRAINT "bookings_reference_code_unique";--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "uq_bookings_facility_reference" UNIQUE("facility_id","reference_code");--> statement-breakpoint
ALTER TABLE "bookings" DROP CONSTRAINT "booking_no_overlap";--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "booking_no_overlap" EXCLUDE USING gist (
  "facility_id" WITH =,
  "simulator_id" WITH =,
  tstzrange("start_time", "blocked_until", '[)') WITH &&
) WHERE ("status" IN ('pending', 'confirmed', 'checked_in'));--> statement-breakpoint
ALTER TABLE "payments" DROP CONSTRAINT "payments_provider_checkout_id_unique";--> statement-breakpoint
ALTER TABLE "payments" DROP CONSTRAINT "payments_provider_payment_id_unique";--> statement-breakpoint
ALTER TABLE "payments" DROP CONSTRAINT "uq_payments_booking_kind_attempt";--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "uq_payments_checkout" UNIQUE("facility_id","provider_checkout_id");--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "uq_payments_provider_payment" UNIQUE("facility_id","provider_payment_id");--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "uq_payments_booking_kind_attempt" UNIQUE("facility_id","booking_id","kind","attempt");--> statement-breakpoint
ALTER TABLE "refunds" DROP CONSTRAINT "refunds_provider_refund_id_unique";--> statement-breakpoint
ALTER TABLE "refunds" DROP CONSTRAINT "uq_refunds_booking_seq";--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "uq_refunds_provider_refund" UNIQUE("facility_id","provider_refund_id");--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "uq_refunds_booking_seq" UNIQUE("facility_id","booking_id","seq");--> statement-breakpoint
DROP INDEX "uq_notification_messages_key";--> statement-breakpoint
DROP INDEX "uq_notification_messages_staff_alert";--> statement-breakpoint
CREATE UNIQUE INDEX "uq_notification_messages_key" ON "notification_messages" USING btree ("facility_id","booking_id","kind","version","offset_minutes","channel");--> statement-breakpoint
CREATE UNIQUE INDEX "uq_notification_messages_staff_alert" ON "notification_messages" USING btree ("facility_id","staff_alert_id","user_id");--> statement-breakpoint
ALTER TABLE "access_tokens" ADD CONSTRAINT "access_tokens_facility_id_booking_id_bookings_facility_id_id_fk" FOREIGN KEY ("facility_id","booking_id") REFERENCES "public"."bookings"("facility_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Only the booking column is cleared when the offered hold goes: the entry keeps its facility.
ALTER TABLE "waitlist_entries" ADD CONSTRAINT "waitlist_entries_facility_id_offer_booking_id_bookings_facility_id_id_fk" FOREIGN KEY ("facility_id","offer_booking_id") REFERENCES "public"."bookings"("facility_id","id") ON DELETE SET NULL ("offer_booking_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_reads" ADD CONSTRAINT "notification_reads_facility_id_message_id_notification_messages_facility_id_id_fk" FOREIGN KEY ("facility_id","message_id") REFERENCES "public"."notification_messages"("facility_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refund_outbox" ADD CONSTRAINT "refund_outbox_facility_id_refund_id_refunds_facility_id_id_fk" FOREIGN KEY ("facility_id","refund_id") REFERENCES "public"."refunds"("facility_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_facility_id_payment_id_payments_facility_id_id_fk" FOREIGN KEY ("facility_id","payment_id") REFERENCES "public"."payments"("facility_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Lookups by a single id (the API's /bookings/:id, Stripe's ids in webhooks) keep an index each.
CREATE INDEX "idx_bookings_id" ON "bookings" USING btree ("id");--> statement-breakpoint
CREATE INDEX "idx_bookings_reference" ON "bookings" USING btree ("reference_code");--> statement-breakpoint
CREATE INDEX "idx_no_show_fees_booking" ON "no_show_fees" USING btree ("booking_id");--> statement-breakpoint
CREATE INDEX "idx_notification_messages_id" ON "notification_messages" USING btree ("id");--> statement-breakpoint
CREATE INDEX "idx_payments_id" ON "payments" USING btree ("id");--> statement-breakpoint
CREATE INDEX "idx_payments_provider_checkout" ON "payments" USING btree ("provider_checkout_id");--> statement-breakpoint
CREATE INDEX "idx_payments_provider_payment" ON "payments" USING btree ("provider_payment_id");--> statement-breakpoint
CREATE INDEX "idx_refunds_id" ON "refunds" USING btree ("id");--> statement-breakpoint
CREATE INDEX "idx_refunds_provider_refund" ON "refunds" USING btree ("provider_refund_id");--> statement-breakpoint
CREATE INDEX "idx_walk_in_dues_booking" ON "walk_in_dues" USING btree ("booking_id");
