CREATE INDEX `job_runs_integration_queued` ON `job_runs` (`integration_id`,`queued_at`);--> statement-breakpoint
CREATE INDEX `jobs_team` ON `jobs` (`team_id`,`created_at`);