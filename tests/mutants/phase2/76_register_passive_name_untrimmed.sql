-- breaks: R-register-passive-name-required (§15.5)
-- mutant: fn_queue_heartbeat_register_passive checks the name untrimmed: a blank name is registered.
-- patch: the real migration
@@ -63,7 +63,8 @@
   IF p_actor IS NULL OR btrim(p_actor) = '' THEN
     RETURN jsonb_build_object('refused', true, 'reason', 'actor_required');
   END IF;
-  IF p_executor_name IS NULL OR btrim(p_executor_name) = '' THEN
+  -- MUTANT: the name is not trimmed before the blank check
+  IF p_executor_name IS NULL OR p_executor_name = '' THEN
     RETURN jsonb_build_object('refused', true, 'reason', 'executor_name_required');
   END IF;
   IF p_last_observed_at IS NULL THEN
