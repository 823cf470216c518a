-- breaks: protected-legacy-marker (§15.5)
-- mutation: the HARDENING block is gone: a ping for iu_outbound_default ticks it (a false heal); otherwise the text of fixtures/dieu45/053_phase3b.sql.
-- patch: the real migration
@@ -44,11 +44,6 @@
     RETURN jsonb_build_object('refused',true,'reason','status_not_in_vocab','value',p_status);
   END IF;

-  -- HARDENING: refuse to mark the legacy silent passive marker as healthy
-  IF btrim(p_executor_name) = 'iu_outbound_default' THEN
-    RETURN jsonb_build_object('refused',true,'reason','protected_legacy_silent_passive',
-      'message','iu_outbound_default is a passive marker for the pre-Dieu45 route worker silent gap; external pings cannot overwrite it. Update fn_iu_route_worker_run callsite to register a separate active executor.');
-  END IF;

   -- Strip caller-supplied identity keys; pin them ourselves for audit integrity
   v_meta := COALESCE(p_metadata,'{}'::jsonb) - 'ping_actor' - 'ping_origin' - 'ping_at' - 'ping_function';
