-- breaks: ratified-reap-dry-run (DC-3)
-- mutant (sly): fn_job_reap_stale_leases_dry_run leaves out the stale leases of owner 'hermes',
-- so an operator never sees them before an apply.
-- patch: the real migration
@@ -122,7 +122,8 @@
   FROM (
     SELECT j.*
     FROM job_queue AS j
-    WHERE j.state = 'leased' AND j.lease_until < now()
+    -- MUTANT: the stale leases of one owner are not listed
+    WHERE j.state = 'leased' AND j.lease_until < now() AND j.lease_owner IS DISTINCT FROM 'hermes'
     ORDER BY j.lease_until, j.id
     LIMIT GREATEST(p_limit, 1)
   ) AS s
