-- breaks: name-blank (Option A)
-- mutant: fn_queue_heartbeat_ping_external names an unnamed caller external_anonymous instead of refusing it.
-- patch: the real migration
@@ -33,6 +33,8 @@
   v_meta jsonb;
   v_result jsonb;
 BEGIN
+  -- MUTANT: an unnamed caller is named for it instead of refused
+  p_executor_name := COALESCE(p_executor_name, 'external_anonymous');
   -- Input validation
   IF p_executor_name IS NULL OR btrim(p_executor_name)='' THEN RETURN jsonb_build_object('refused',true,'reason','executor_name_required'); END IF;
   IF p_executor_kind IS NULL OR btrim(p_executor_kind)='' THEN RETURN jsonb_build_object('refused',true,'reason','executor_kind_required'); END IF;
