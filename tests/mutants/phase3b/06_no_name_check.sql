-- breaks: name-required (Option A)
-- mutation: the executor name is no longer checked by the wrapper (the tick's own refusal leaks through, tagged); otherwise the text of fixtures/dieu45/053_phase3b.sql.
-- patch: the real migration
@@ -34,7 +34,6 @@
   v_result jsonb;
 BEGIN
   -- Input validation
-  IF p_executor_name IS NULL OR btrim(p_executor_name)='' THEN RETURN jsonb_build_object('refused',true,'reason','executor_name_required'); END IF;
   IF p_executor_kind IS NULL OR btrim(p_executor_kind)='' THEN RETURN jsonb_build_object('refused',true,'reason','executor_kind_required'); END IF;
   IF p_executor_kind NOT IN ('DOT','Agent','Hermes','Codex','PG_worker','external_worker','future_Kestra_adapter') THEN
     RETURN jsonb_build_object('refused',true,'reason','executor_kind_not_in_vocab','value',p_executor_kind,
