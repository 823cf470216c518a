-- breaks: gate-runtime-phase-added (scope)
-- mutant: the queue.runtime.phase row is not inserted.
-- patch: the real migration
@@ -43,8 +43,8 @@
   ('queue.lease.reaper_dry_run_only', 'true',
    'Safety gate; refuses mutation even with reaper_enabled=true', 'dieu45_phase2_mig_051'),
   ('queue.dlq.replay_enabled', 'false', 'Master gate for any DLQ replay mutator',
-   'dieu45_phase2_mig_051'),
-  ('queue.runtime.phase', 'phase2_governance', 'Phase marker', 'dieu45_phase2_mig_051');
+-- MUTANT: row queue.runtime.phase removed
+   'dieu45_phase2_mig_051');

 CREATE FUNCTION fn_queue_heartbeat_register_passive(
   p_executor_name text,
