-- breaks: status-not-in-vocab (Option A)
-- mutation: the status is no longer pre-validated; otherwise the text of fixtures/dieu45/053_phase3b.sql.
-- patch: the real migration
@@ -40,9 +40,6 @@
     RETURN jsonb_build_object('refused',true,'reason','executor_kind_not_in_vocab','value',p_executor_kind,
       'allowed',ARRAY['DOT','Agent','Hermes','Codex','PG_worker','external_worker','future_Kestra_adapter']);
   END IF;
-  IF COALESCE(p_status,'ok') NOT IN ('ok','warn','error') THEN
-    RETURN jsonb_build_object('refused',true,'reason','status_not_in_vocab','value',p_status);
-  END IF;

   -- HARDENING: refuse to mark the legacy silent passive marker as healthy
   IF btrim(p_executor_name) = 'iu_outbound_default' THEN
