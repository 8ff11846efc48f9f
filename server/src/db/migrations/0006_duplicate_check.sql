CREATE TABLE `dc_dismissed` (
	`team_id` text NOT NULL,
	`org_key` text NOT NULL,
	`record_a` text NOT NULL,
	`record_b` text NOT NULL,
	`dismissed_by` text,
	`dismissed_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	PRIMARY KEY(`team_id`, `org_key`, `record_a`, `record_b`),
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`dismissed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `dc_groups` (
	`id` text PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`rank` integer NOT NULL,
	`score` real NOT NULL,
	`size` integer NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `job_runs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dc_groups_run_rank` ON `dc_groups` (`run_id`,`rank`);--> statement-breakpoint
CREATE TABLE `dc_pairs` (
	`id` text PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`group_id` text NOT NULL,
	`record_a` text NOT NULL,
	`record_b` text NOT NULL,
	`score` real NOT NULL,
	`scenario_id` text NOT NULL,
	`scenario_name` text NOT NULL,
	`fields` text NOT NULL,
	`dismissed_at` text,
	FOREIGN KEY (`run_id`) REFERENCES `job_runs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`group_id`) REFERENCES `dc_groups`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `dc_pairs_group` ON `dc_pairs` (`group_id`);--> statement-breakpoint
CREATE INDEX `dc_pairs_run` ON `dc_pairs` (`run_id`);--> statement-breakpoint
CREATE TABLE `dc_records` (
	`run_id` text NOT NULL,
	`record_id` text NOT NULL,
	`group_id` text NOT NULL,
	`object` text NOT NULL,
	`name` text NOT NULL,
	`values` text NOT NULL,
	PRIMARY KEY(`run_id`, `record_id`),
	FOREIGN KEY (`run_id`) REFERENCES `job_runs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`group_id`) REFERENCES `dc_groups`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `dc_records_record` ON `dc_records` (`record_id`);--> statement-breakpoint
CREATE INDEX `dc_records_group` ON `dc_records` (`group_id`);--> statement-breakpoint
CREATE TABLE `dc_scenarios` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`name` text NOT NULL,
	`object` text NOT NULL,
	`rules` text NOT NULL,
	`threshold` real NOT NULL,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dc_scenarios_team_name` ON `dc_scenarios` (`team_id`,`name`);--> statement-breakpoint
ALTER TABLE `job_runs` ADD `awaiting_start` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `job_runs` ADD `summary` text;