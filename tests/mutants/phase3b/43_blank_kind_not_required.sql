-- breaks: kind-blank (Option A)
-- mutant: fn_queue_heartbeat_ping_external requires only a non-NULL kind; a blank one is answered as not in the vocabulary.
-- patch: the real migration
@@ -35,7 +35,8 @@
 BEGIN
   -- Input validation
   IF p_executor_name IS NULL OR btrim(p_executor_name)='' THEN RETURN jsonb_build_object('refused',true,'reason','executor_name_required'); END IF;
-  IF p_executor_kind IS NULL OR btrim(p_executor_kind)='' THEN RETURN jsonb_build_object('refused',true,'reason','executor_kind_required'); END IF;
+  -- MUTANT: only a NULL kind is 'required'; a blank one falls through to the vocabulary
+  IF p_executor_kind IS NULL THEN RETURN jsonb_build_object('refused',true,'reason','executor_kind_required'); END IF;
   IF p_executor_kind NOT IN ('DOT','Agent','Hermes','Codex','PG_worker','external_worker','future_Kestra_adapter') THEN
     RETURN jsonb_build_object('refused',true,'reason','executor_kind_not_in_vocab','value',p_executor_kind,
       'allowed',ARRAY['DOT','Agent','Hermes','Codex','PG_worker','external_worker','future_Kestra_adapter']);
