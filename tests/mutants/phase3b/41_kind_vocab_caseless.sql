-- breaks: kind-vocabulary (§11.5)
-- mutant: fn_queue_heartbeat_ping_external checks the executor kind without case: dot and pg_worker get past the wrapper and meet the table CHECK instead.
-- patch: the real migration
@@ -36,7 +36,8 @@
   -- Input validation
   IF p_executor_name IS NULL OR btrim(p_executor_name)='' THEN RETURN jsonb_build_object('refused',true,'reason','executor_name_required'); END IF;
   IF p_executor_kind IS NULL OR btrim(p_executor_kind)='' THEN RETURN jsonb_build_object('refused',true,'reason','executor_kind_required'); END IF;
-  IF p_executor_kind NOT IN ('DOT','Agent','Hermes','Codex','PG_worker','external_worker','future_Kestra_adapter') THEN
+  -- MUTANT: the kind vocabulary compared without case (dot and pg_worker get past it)
+  IF lower(p_executor_kind) NOT IN ('dot','agent','hermes','codex','pg_worker','external_worker','future_kestra_adapter') THEN
     RETURN jsonb_build_object('refused',true,'reason','executor_kind_not_in_vocab','value',p_executor_kind,
       'allowed',ARRAY['DOT','Agent','Hermes','Codex','PG_worker','external_worker','future_Kestra_adapter']);
   END IF;
