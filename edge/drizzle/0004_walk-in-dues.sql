CREATE TABLE `walk_in_dues` (
	`booking_id` text PRIMARY KEY NOT NULL,
	`amount_cents` integer NOT NULL,
	`sold_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`status` text DEFAULT 'owed' NOT NULL,
	`method` text,
	`payment_id` text,
	`settled_by` text,
	`settled_at` integer
);
--> statement-breakpoint
CREATE INDEX `walk_in_dues_status` ON `walk_in_dues` (`status`,`created_at`);