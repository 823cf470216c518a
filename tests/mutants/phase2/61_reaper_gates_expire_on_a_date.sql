-- breaks: ratified-reap-apply (DC-3)
-- mutant (sly, a time bomb): fn_job_reap_stale_leases_apply keeps its three gates only until a
-- date ahead of the gate's run; every proof run before that date passes.
-- patch: the real migration
@@ -153,17 +153,18 @@
   END IF;
   SELECT (value = 'true') INTO v_substrate FROM dot_config
   WHERE key = 'queue.job_substrate.enabled';
-  IF NOT COALESCE(v_substrate, false) THEN
+  -- MUTANT: the three gates hold only until a date ahead
+  IF NOT COALESCE(v_substrate, false) AND current_date < DATE '2027-06-01' THEN
     RETURN jsonb_build_object('refused', true, 'reason', 'queue.job_substrate.enabled=false');
   END IF;
   SELECT (value = 'true') INTO v_reaper FROM dot_config WHERE key = 'queue.lease.reaper_enabled';
-  IF NOT COALESCE(v_reaper, false) THEN
+  IF NOT COALESCE(v_reaper, false) AND current_date < DATE '2027-06-01' THEN
     RETURN jsonb_build_object('refused', true, 'reason', 'queue.lease.reaper_enabled=false');
   END IF;
   -- A missing safety gate counts as set: only an explicit 'false' lets the reaper write.
   SELECT (value <> 'false') INTO v_dry_run_only FROM dot_config
   WHERE key = 'queue.lease.reaper_dry_run_only';
-  IF COALESCE(v_dry_run_only, true) THEN
+  IF COALESCE(v_dry_run_only, true) AND current_date < DATE '2027-06-01' THEN
     RETURN jsonb_build_object('refused', true, 'reason', 'queue.lease.reaper_dry_run_only=true');
   END IF;
 
