-- breaks: liveness-only (Option A)
-- mutation: the wrapper passes a lease owner to the tick; otherwise the text of fixtures/dieu45/053_phase3b.sql.
-- patch: the real migration
@@ -69,7 +69,7 @@
     p_executor_kind := p_executor_kind,
     p_status := COALESCE(p_status,'ok'),
     p_current_job_id := NULL,
-    p_lease_owner := NULL,
+    p_lease_owner := btrim(p_executor_name),
     p_metadata := v_meta
   );
   RETURN v_result || jsonb_build_object('wrapper','fn_queue_heartbeat_ping_external');
