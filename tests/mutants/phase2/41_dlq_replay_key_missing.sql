-- breaks: gate-dlq-replay-added (DLR-A)
-- mutant: the queue.dlq.replay_enabled row is not inserted.
-- patch: the real migration
@@ -42,8 +42,7 @@
    'dieu45_phase2_mig_051'),
   ('queue.lease.reaper_dry_run_only', 'true',
    'Safety gate; refuses mutation even with reaper_enabled=true', 'dieu45_phase2_mig_051'),
-  ('queue.dlq.replay_enabled', 'false', 'Master gate for any DLQ replay mutator',
-   'dieu45_phase2_mig_051'),
+-- MUTANT: row queue.dlq.replay_enabled removed
   ('queue.runtime.phase', 'phase2_governance', 'Phase marker', 'dieu45_phase2_mig_051');

 CREATE FUNCTION fn_queue_heartbeat_register_passive(
