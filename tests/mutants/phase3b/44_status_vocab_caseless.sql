-- breaks: status-vocabulary (Option A)
-- mutant: fn_queue_heartbeat_ping_external compares the status trimmed and without case: OK and ' ok' get past it and meet the table CHECK instead.
-- patch: the real migration
@@ -40,7 +40,8 @@
     RETURN jsonb_build_object('refused',true,'reason','executor_kind_not_in_vocab','value',p_executor_kind,
       'allowed',ARRAY['DOT','Agent','Hermes','Codex','PG_worker','external_worker','future_Kestra_adapter']);
   END IF;
-  IF COALESCE(p_status,'ok') NOT IN ('ok','warn','error') THEN
+  -- MUTANT: the status vocabulary compared trimmed and without case
+  IF lower(btrim(COALESCE(p_status,'ok'))) NOT IN ('ok','warn','error') THEN
     RETURN jsonb_build_object('refused',true,'reason','status_not_in_vocab','value',p_status);
   END IF;
 
