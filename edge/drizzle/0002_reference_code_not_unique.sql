DROP INDEX `bookings_reference`;--> statement-breakpoint
CREATE INDEX `bookings_reference` ON `bookings` (`reference_code`);