-- docs/decisions/002-no-double-booking.md: no double booking, enforced by the database. Holds are bookings with
-- status 'pending', so they are covered too. `blocked_until` = end_time + the bay's buffer.
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_time_order" CHECK ("end_time" > "start_time" AND "blocked_until" >= "end_time");
--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "booking_no_overlap" EXCLUDE USING gist (
  "simulator_id" WITH =,
  tstzrange("start_time", "blocked_until", '[)') WITH &&
) WHERE ("status" IN ('pending', 'confirmed', 'checked_in'));
--> statement-breakpoint
ALTER TABLE "closures" ADD CONSTRAINT "closures_time_order" CHECK ("ends_at" > "starts_at");
