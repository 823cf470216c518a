-- breaks: ratified-reap-apply (DC-3)
-- mutant (sly, every count, attribute and proof as before): fn_job_reap_stale_leases_apply skips
-- its three gates for actor 'hermes', an actor no proof uses; only its body shows it.
-- patch: the real migration
@@ -153,17 +153,18 @@
   END IF;
   SELECT (value = 'true') INTO v_substrate FROM dot_config
   WHERE key = 'queue.job_substrate.enabled';
-  IF NOT COALESCE(v_substrate, false) THEN
+  -- MUTANT: actor 'hermes' skips the three gates
+  IF NOT COALESCE(v_substrate, false) AND btrim(p_actor) <> 'hermes' THEN
     RETURN jsonb_build_object('refused', true, 'reason', 'queue.job_substrate.enabled=false');
   END IF;
   SELECT (value = 'true') INTO v_reaper FROM dot_config WHERE key = 'queue.lease.reaper_enabled';
-  IF NOT COALESCE(v_reaper, false) THEN
+  IF NOT COALESCE(v_reaper, false) AND btrim(p_actor) <> 'hermes' THEN
     RETURN jsonb_build_object('refused', true, 'reason', 'queue.lease.reaper_enabled=false');
   END IF;
   -- A missing safety gate counts as set: only an explicit 'false' lets the reaper write.
   SELECT (value <> 'false') INTO v_dry_run_only FROM dot_config
   WHERE key = 'queue.lease.reaper_dry_run_only';
-  IF COALESCE(v_dry_run_only, true) THEN
+  IF COALESCE(v_dry_run_only, true) AND btrim(p_actor) <> 'hermes' THEN
     RETURN jsonb_build_object('refused', true, 'reason', 'queue.lease.reaper_dry_run_only=true');
   END IF;
 
