CREATE TABLE `control_cursors` (
	`name` text PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `device_status` (
	`key` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`target_id` text NOT NULL,
	`presence` text NOT NULL,
	`presence_at` integer,
	`state` text,
	`state_at` integer
);
--> statement-breakpoint
CREATE TABLE `ninja_jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job_key` text NOT NULL,
	`device_id` integer NOT NULL,
	`script` text NOT NULL,
	`parameters` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ninja_jobs_job_key_unique` ON `ninja_jobs` (`job_key`);--> statement-breakpoint
CREATE INDEX `ninja_jobs_due` ON `ninja_jobs` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `session_steps` (
	`booking_id` text NOT NULL,
	`step` text NOT NULL,
	`simulator_id` text NOT NULL,
	`due_at` integer NOT NULL,
	`decided_at` integer NOT NULL,
	`outcome` text NOT NULL,
	`command_id` text,
	`detail` text,
	PRIMARY KEY(`booking_id`, `step`)
);
--> statement-breakpoint
CREATE INDEX `session_steps_outcome` ON `session_steps` (`outcome`);--> statement-breakpoint
CREATE TABLE `staff_alerts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`dedupe_key` text NOT NULL,
	`kind` text NOT NULL,
	`severity` text NOT NULL,
	`subject` text,
	`message` text NOT NULL,
	`details` text,
	`raised_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`occurrences` integer DEFAULT 1 NOT NULL,
	`resolved_at` integer,
	`acknowledged_at` integer,
	`acknowledged_by` text
);
--> statement-breakpoint
CREATE INDEX `staff_alerts_open` ON `staff_alerts` (`dedupe_key`,`resolved_at`);--> statement-breakpoint
CREATE INDEX `staff_alerts_raised` ON `staff_alerts` (`raised_at`);--> statement-breakpoint
CREATE TABLE `unifi_visitors` (
	`booking_id` text PRIMARY KEY NOT NULL,
	`wanted` text NOT NULL,
	`want_start` integer NOT NULL,
	`want_end` integer NOT NULL,
	`want_doors` text NOT NULL,
	`want_pin` text,
	`first_name` text NOT NULL,
	`last_name` text NOT NULL,
	`visitor_id` text,
	`have_start` integer,
	`have_end` integer,
	`have_doors` text,
	`have_pin` text,
	`state` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `unifi_visitors_due` ON `unifi_visitors` (`state`,`next_attempt_at`);