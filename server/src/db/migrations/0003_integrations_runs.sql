CREATE TABLE `integrations` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`connection_id` text NOT NULL,
	`job_id` text NOT NULL,
	`catalog_host` text NOT NULL,
	`catalog_account_name` text,
	`catalog_token` text NOT NULL,
	`target` text NOT NULL,
	`match_key` text DEFAULT 'external-id' NOT NULL,
	`external_id_field` text,
	`field_map` text DEFAULT '[]' NOT NULL,
	`problem` text,
	`created_by` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`unlinked_at` text,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`connection_id`) REFERENCES `connections`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`job_id`) REFERENCES `jobs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `integrations_team` ON `integrations` (`team_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `integrations_catalog_connection` ON `integrations` (`catalog_host`,`connection_id`) WHERE "integrations"."unlinked_at" is null;--> statement-breakpoint
CREATE TABLE `job_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`job_id` text,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`connection_id` text NOT NULL,
	`connection_name` text NOT NULL,
	`integration_id` text,
	`status` text DEFAULT 'queued' NOT NULL,
	`trigger` text NOT NULL,
	`due_at` text,
	`total` integer,
	`processed` integer DEFAULT 0 NOT NULL,
	`created` integer DEFAULT 0 NOT NULL,
	`updated` integer DEFAULT 0 NOT NULL,
	`unchanged` integer DEFAULT 0 NOT NULL,
	`failed` integer DEFAULT 0 NOT NULL,
	`api_calls` text DEFAULT '{}' NOT NULL,
	`checkpoint` text,
	`lease_owner` text,
	`lease_expires_at` text,
	`abort_requested` integer DEFAULT false NOT NULL,
	`started_by` text,
	`queued_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`started_at` text,
	`finished_at` text,
	`error_code` text,
	`error_message` text,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`job_id`) REFERENCES `jobs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`connection_id`) REFERENCES `connections`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`integration_id`) REFERENCES `integrations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`started_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `job_runs_team_queued` ON `job_runs` (`team_id`,`queued_at`);--> statement-breakpoint
CREATE INDEX `job_runs_status` ON `job_runs` (`status`);--> statement-breakpoint
CREATE UNIQUE INDEX `job_runs_job_due` ON `job_runs` (`job_id`,`due_at`) WHERE "job_runs"."due_at" is not null;--> statement-breakpoint
CREATE TABLE `run_records` (
	`run_id` text NOT NULL,
	`source_key` text NOT NULL,
	`target_id` text,
	`action` text NOT NULL,
	`error_code` text,
	`message` text,
	PRIMARY KEY(`run_id`, `source_key`),
	FOREIGN KEY (`run_id`) REFERENCES `job_runs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `run_records_action` ON `run_records` (`run_id`,`action`);--> statement-breakpoint
CREATE TABLE `sync_state` (
	`integration_id` text NOT NULL,
	`source_key` text NOT NULL,
	`target_id` text,
	`values_hash` text NOT NULL,
	`synced_at` text NOT NULL,
	PRIMARY KEY(`integration_id`, `source_key`),
	FOREIGN KEY (`integration_id`) REFERENCES `integrations`(`id`) ON UPDATE no action ON DELETE no action
);
