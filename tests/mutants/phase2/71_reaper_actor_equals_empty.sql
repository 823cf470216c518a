-- breaks: R-actor-required (DC-3)
-- mutant: fn_job_reap_stale_leases_apply's actor check reduced to p_actor = '': NULL and blank actors reap.
-- patch: the real migration
@@ -148,7 +148,8 @@
   v_reset integer := 0;
   v_dead integer := 0;
 BEGIN
-  IF p_actor IS NULL OR btrim(p_actor) = '' THEN
+  -- MUTANT: the actor check reduced to = '' (NULL and blank actors reap)
+  IF p_actor = '' THEN
     RETURN jsonb_build_object('refused', true, 'reason', 'actor_required');
   END IF;
   SELECT (value = 'true') INTO v_substrate FROM dot_config
