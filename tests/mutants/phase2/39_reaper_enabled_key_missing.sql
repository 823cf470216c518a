-- breaks: gate-reaper-enabled-added (DC-3)
-- mutant: the queue.lease.reaper_enabled row is not inserted.
-- patch: the real migration
@@ -38,8 +38,7 @@
 SET LOCAL ROLE workflow_admin;

 INSERT INTO dot_config (key, value, description, updated_by) VALUES
-  ('queue.lease.reaper_enabled', 'false', 'Master gate for fn_job_reap_stale_leases_apply',
-   'dieu45_phase2_mig_051'),
+-- MUTANT: row queue.lease.reaper_enabled removed
   ('queue.lease.reaper_dry_run_only', 'true',
    'Safety gate; refuses mutation even with reaper_enabled=true', 'dieu45_phase2_mig_051'),
   ('queue.dlq.replay_enabled', 'false', 'Master gate for any DLQ replay mutator',
