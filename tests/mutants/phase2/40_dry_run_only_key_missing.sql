-- breaks: gate-reaper-dry-run-only-added (DC-3)
-- mutant: the queue.lease.reaper_dry_run_only row is not inserted.
-- patch: the real migration
@@ -40,8 +40,7 @@
 INSERT INTO dot_config (key, value, description, updated_by) VALUES
   ('queue.lease.reaper_enabled', 'false', 'Master gate for fn_job_reap_stale_leases_apply',
    'dieu45_phase2_mig_051'),
-  ('queue.lease.reaper_dry_run_only', 'true',
-   'Safety gate; refuses mutation even with reaper_enabled=true', 'dieu45_phase2_mig_051'),
+-- MUTANT: row queue.lease.reaper_dry_run_only removed
   ('queue.dlq.replay_enabled', 'false', 'Master gate for any DLQ replay mutator',
    'dieu45_phase2_mig_051'),
   ('queue.runtime.phase', 'phase2_governance', 'Phase marker', 'dieu45_phase2_mig_051');
