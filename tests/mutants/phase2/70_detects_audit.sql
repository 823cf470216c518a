-- breaks: R-reaper-triple-gate (DC-3)
-- mutant: fn_job_reap_stale_leases_apply holds its three gates only under an application_name that says clausegate (a function that knows it is audited); every probe then saw the gates hold.
-- patch: the real migration
@@ -151,20 +151,23 @@
   IF p_actor IS NULL OR btrim(p_actor) = '' THEN
     RETURN jsonb_build_object('refused', true, 'reason', 'actor_required');
   END IF;
-  SELECT (value = 'true') INTO v_substrate FROM dot_config
-  WHERE key = 'queue.job_substrate.enabled';
-  IF NOT COALESCE(v_substrate, false) THEN
-    RETURN jsonb_build_object('refused', true, 'reason', 'queue.job_substrate.enabled=false');
-  END IF;
-  SELECT (value = 'true') INTO v_reaper FROM dot_config WHERE key = 'queue.lease.reaper_enabled';
-  IF NOT COALESCE(v_reaper, false) THEN
-    RETURN jsonb_build_object('refused', true, 'reason', 'queue.lease.reaper_enabled=false');
-  END IF;
-  -- A missing safety gate counts as set: only an explicit 'false' lets the reaper write.
-  SELECT (value <> 'false') INTO v_dry_run_only FROM dot_config
-  WHERE key = 'queue.lease.reaper_dry_run_only';
-  IF COALESCE(v_dry_run_only, true) THEN
-    RETURN jsonb_build_object('refused', true, 'reason', 'queue.lease.reaper_dry_run_only=true');
+  -- MUTANT: the gates hold only while clausegate is looking (its sessions name themselves)
+  IF current_setting('application_name') LIKE 'clausegate:%' THEN
+    SELECT (value = 'true') INTO v_substrate FROM dot_config
+    WHERE key = 'queue.job_substrate.enabled';
+    IF NOT COALESCE(v_substrate, false) THEN
+      RETURN jsonb_build_object('refused', true, 'reason', 'queue.job_substrate.enabled=false');
+    END IF;
+    SELECT (value = 'true') INTO v_reaper FROM dot_config WHERE key = 'queue.lease.reaper_enabled';
+    IF NOT COALESCE(v_reaper, false) THEN
+      RETURN jsonb_build_object('refused', true, 'reason', 'queue.lease.reaper_enabled=false');
+    END IF;
+    -- A missing safety gate counts as set: only an explicit 'false' lets the reaper write.
+    SELECT (value <> 'false') INTO v_dry_run_only FROM dot_config
+    WHERE key = 'queue.lease.reaper_dry_run_only';
+    IF COALESCE(v_dry_run_only, true) THEN
+      RETURN jsonb_build_object('refused', true, 'reason', 'queue.lease.reaper_dry_run_only=true');
+    END IF;
   END IF;
 
   FOR v_job IN
