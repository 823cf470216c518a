-- breaks: marker-under-every-spelling (§15.5)
-- mutant: fn_queue_heartbeat_ping_external folds the name to lower case before the tick, after the protection's match: IU_OUTBOUND_DEFAULT heals the passive marker.
-- patch: the real migration
@@ -65,7 +65,8 @@
   END IF;
 
   v_result := fn_queue_heartbeat_tick(
-    p_executor_name := btrim(p_executor_name),
+    -- MUTANT: names are folded to lower case before the tick: IU_OUTBOUND_DEFAULT heals the marker
+    p_executor_name := lower(btrim(p_executor_name)),
     p_executor_kind := p_executor_kind,
     p_status := COALESCE(p_status,'ok'),
     p_current_job_id := NULL,
