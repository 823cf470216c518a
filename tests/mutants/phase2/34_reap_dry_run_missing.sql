-- breaks: fn-reap-dry-run-added (DC-3)
-- mutant: fn_job_reap_stale_leases_dry_run is not created.
-- patch: the real migration
@@ -99,36 +99,8 @@
 COMMENT ON FUNCTION fn_queue_heartbeat_register_passive(text, text, timestamptz, text, text) IS
   'Registers a passive heartbeat marker (warn, 0 ticks) for a silent executor; insert only.';

-CREATE FUNCTION fn_job_reap_stale_leases_dry_run(p_limit integer DEFAULT 100) RETURNS jsonb
-LANGUAGE sql STABLE
-SET search_path TO 'pg_catalog', 'public'
-AS $fn$
-  SELECT jsonb_build_object(
-    'dry_run', true,
-    'stale_count', count(*),
-    'jobs', COALESCE(jsonb_agg(jsonb_build_object(
-        'job_id', s.id,
-        'job_kind', s.job_kind,
-        'lease_owner', s.lease_owner,
-        'lease_until', s.lease_until,
-        'attempts', s.attempts,
-        'max_attempts', s.max_attempts,
-        'would_action', CASE WHEN s.attempts + 1 >= s.max_attempts
-                          THEN 'dead_letter' ELSE 'retry_waiting' END,
-        'would_attempts', s.attempts + 1,
-        'would_backoff_sec', CASE WHEN s.attempts + 1 < s.max_attempts
-                               THEN fn_job_backoff_seconds(s.attempts + 1) END)
-      ORDER BY s.lease_until, s.id), '[]'::jsonb))
-  FROM (
-    SELECT j.*
-    FROM job_queue AS j
-    WHERE j.state = 'leased' AND j.lease_until < now()
-    ORDER BY j.lease_until, j.id
-    LIMIT GREATEST(p_limit, 1)
-  ) AS s
-$fn$;
-COMMENT ON FUNCTION fn_job_reap_stale_leases_dry_run(integer) IS
-  'Lists stale leases with what fn_job_reap_stale_leases_apply would do to each; changes nothing.';
+-- MUTANT: CREATE FUNCTION fn_job_reap_stale_leases_dry_run removed
+-- MUTANT: COMMENT ON FUNCTION fn_job_reap_stale_leases_dry_run removed

 CREATE FUNCTION fn_job_reap_stale_leases_apply(p_actor text, p_limit integer DEFAULT 100)
 RETURNS jsonb
