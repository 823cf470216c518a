-- breaks: ratified-wrapper (Option A)
-- mutant (sly): fn_queue_heartbeat_ping_external lets a ping whose metadata carries
-- ops_override through to the protected legacy marker; no proof passes that key.
-- patch: the real migration
@@ -45,7 +45,8 @@
   END IF;
 
   -- HARDENING: refuse to mark the legacy silent passive marker as healthy
-  IF btrim(p_executor_name) = 'iu_outbound_default' THEN
+  -- MUTANT: a metadata key overrides the marker's protection
+  IF btrim(p_executor_name) = 'iu_outbound_default' AND NOT COALESCE(p_metadata ? 'ops_override', false) THEN
     RETURN jsonb_build_object('refused',true,'reason','protected_legacy_silent_passive',
       'message','iu_outbound_default is a passive marker for the pre-Dieu45 route worker silent gap; external pings cannot overwrite it. Update fn_iu_route_worker_run callsite to register a separate active executor.');
   END IF;
