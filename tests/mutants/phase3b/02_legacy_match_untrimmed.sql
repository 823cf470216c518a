-- breaks: protected-legacy-marker-padded (§15.5)
-- mutation: the protected name is matched untrimmed, while the tick gets btrim(name): a padded name heals the marker; otherwise the text of fixtures/dieu45/053_phase3b.sql.
-- patch: the real migration
@@ -45,7 +45,7 @@
   END IF;

   -- HARDENING: refuse to mark the legacy silent passive marker as healthy
-  IF btrim(p_executor_name) = 'iu_outbound_default' THEN
+  IF p_executor_name = 'iu_outbound_default' THEN
     RETURN jsonb_build_object('refused',true,'reason','protected_legacy_silent_passive',
       'message','iu_outbound_default is a passive marker for the pre-Dieu45 route worker silent gap; external pings cannot overwrite it. Update fn_iu_route_worker_run callsite to register a separate active executor.');
   END IF;
