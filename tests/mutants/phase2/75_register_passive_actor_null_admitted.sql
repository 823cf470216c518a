-- breaks: R-register-passive-actor-required (§15.5)
-- mutant: fn_queue_heartbeat_register_passive lets a NULL actor register a marker.
-- patch: the real migration
@@ -60,7 +60,8 @@
   v_enabled boolean;
   v_inserted text;
 BEGIN
-  IF p_actor IS NULL OR btrim(p_actor) = '' THEN
+  -- MUTANT: a NULL actor gets past the actor check
+  IF p_actor = '' OR btrim(p_actor) = '' THEN
     RETURN jsonb_build_object('refused', true, 'reason', 'actor_required');
   END IF;
   IF p_executor_name IS NULL OR btrim(p_executor_name) = '' THEN
