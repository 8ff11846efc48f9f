CREATE INDEX `dc_pairs_record_a` ON `dc_pairs` (`record_a`,`run_id`);--> statement-breakpoint
CREATE INDEX `dc_pairs_record_b` ON `dc_pairs` (`record_b`,`run_id`);