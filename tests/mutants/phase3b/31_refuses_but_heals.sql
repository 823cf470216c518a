-- breaks: refusal-leaves-marker (§15.5)
-- mutation: the wrapper refuses iu_outbound_default, but ticks it first; otherwise the text of fixtures/dieu45/053_phase3b.sql.
-- patch: the real migration
@@ -46,6 +46,7 @@

   -- HARDENING: refuse to mark the legacy silent passive marker as healthy
   IF btrim(p_executor_name) = 'iu_outbound_default' THEN
+    PERFORM fn_queue_heartbeat_tick('iu_outbound_default', 'PG_worker', 'ok');
     RETURN jsonb_build_object('refused',true,'reason','protected_legacy_silent_passive',
       'message','iu_outbound_default is a passive marker for the pre-Dieu45 route worker silent gap; external pings cannot overwrite it. Update fn_iu_route_worker_run callsite to register a separate active executor.');
   END IF;
