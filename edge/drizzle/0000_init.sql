CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`kind` text NOT NULL,
	`actor` text,
	`subject` text,
	`decision` text,
	`reason` text,
	`details` text
);
--> statement-breakpoint
CREATE INDEX `audit_at` ON `audit_log` (`at`);--> statement-breakpoint
CREATE TABLE `availability_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`simulator_id` text NOT NULL,
	`day_of_week` integer NOT NULL,
	`start_time` text NOT NULL,
	`end_time` text NOT NULL,
	`slot_duration` integer NOT NULL,
	`buffer_time` integer NOT NULL,
	`max_advance_days` integer NOT NULL,
	`min_advance_hours` real NOT NULL
);
--> statement-breakpoint
CREATE INDEX `availability_rules_bay` ON `availability_rules` (`simulator_id`);--> statement-breakpoint
CREATE TABLE `bays` (
	`id` text PRIMARY KEY NOT NULL,
	`facility_id` text NOT NULL,
	`name` text NOT NULL,
	`type` text,
	`bay_number` integer,
	`hourly_rate_cents` integer NOT NULL,
	`status` text NOT NULL,
	`maintenance_until` integer,
	`unifi_door_id` text,
	`ninjaone_device_id` text
);
--> statement-breakpoint
CREATE TABLE `bookings` (
	`id` text PRIMARY KEY NOT NULL,
	`facility_id` text NOT NULL,
	`simulator_id` text NOT NULL,
	`customer_id` text,
	`customer_name` text,
	`customer_email` text,
	`customer_phone` text,
	`reference_code` text NOT NULL,
	`start_time` integer NOT NULL,
	`end_time` integer NOT NULL,
	`duration` integer NOT NULL,
	`status` text NOT NULL,
	`price_cents` integer NOT NULL,
	`payment_status` text,
	`payment_method` text,
	`access_code` text,
	`check_in_time` integer,
	`cancelled_at` integer,
	`cancellation_reason` text,
	`origin` text NOT NULL,
	`provisional` integer DEFAULT false NOT NULL,
	`reconciliation` text DEFAULT 'none' NOT NULL,
	`reconciliation_note` text,
	`original_simulator_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `bookings_bay_time` ON `bookings` (`simulator_id`,`start_time`);--> statement-breakpoint
CREATE INDEX `bookings_time` ON `bookings` (`start_time`);--> statement-breakpoint
CREATE UNIQUE INDEX `bookings_reference` ON `bookings` (`reference_code`);--> statement-breakpoint
CREATE INDEX `bookings_reconciliation` ON `bookings` (`reconciliation`);--> statement-breakpoint
CREATE TABLE `closures` (
	`id` text PRIMARY KEY NOT NULL,
	`facility_id` text NOT NULL,
	`simulator_id` text,
	`kind` text NOT NULL,
	`start_time` integer NOT NULL,
	`end_time` integer NOT NULL,
	`reason` text
);
--> statement-breakpoint
CREATE INDEX `closures_time` ON `closures` (`start_time`,`end_time`);--> statement-breakpoint
CREATE TABLE `customers` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text,
	`first_name` text,
	`last_name` text,
	`phone` text
);
--> statement-breakpoint
CREATE TABLE `devices` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`target_id` text NOT NULL,
	`username` text NOT NULL,
	`secret_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `devices_username_unique` ON `devices` (`username`);--> statement-breakpoint
CREATE TABLE `facility` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`timezone` text NOT NULL,
	`settings` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `idempotency_keys` (
	`key` text PRIMARY KEY NOT NULL,
	`request_hash` text NOT NULL,
	`status_code` integer NOT NULL,
	`response` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `kiosk_devices` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`key_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `kiosk_devices_key_hash_unique` ON `kiosk_devices` (`key_hash`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` text NOT NULL,
	`type` text NOT NULL,
	`payload` text NOT NULL,
	`occurred_at` integer NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`rejected_reason` text,
	`rejected_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_event` ON `outbox` (`event_id`);--> statement-breakpoint
CREATE INDEX `outbox_state` ON `outbox` (`state`,`seq`);--> statement-breakpoint
CREATE TABLE `pricing_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`simulator_id` text,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`conditions` text NOT NULL,
	`modifier_type` text NOT NULL,
	`price_modifier` real NOT NULL,
	`priority` integer NOT NULL,
	`active` integer NOT NULL,
	`valid_from` integer,
	`valid_until` integer
);
--> statement-breakpoint
CREATE TABLE `revocations` (
	`id` text PRIMARY KEY NOT NULL,
	`booking_id` text NOT NULL,
	`revoked_at` integer NOT NULL,
	`valid_until` integer NOT NULL,
	`reason` text
);
--> statement-breakpoint
CREATE INDEX `revocations_booking` ON `revocations` (`booking_id`);--> statement-breakpoint
CREATE TABLE `staff_sessions` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`staff_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `staff_users` (
	`id` text PRIMARY KEY NOT NULL,
	`username` text NOT NULL,
	`display_name` text NOT NULL,
	`role` text NOT NULL,
	`password_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`disabled` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `staff_users_username_unique` ON `staff_users` (`username`);--> statement-breakpoint
CREATE TABLE `sync_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`facility_id` text,
	`cursor` integer NOT NULL,
	`cloud_head` integer NOT NULL,
	`last_successful_pull` integer,
	`snapshot_loaded_at` integer,
	`changes_applied` integer DEFAULT 0 NOT NULL
);
