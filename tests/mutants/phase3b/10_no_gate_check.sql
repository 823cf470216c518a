-- breaks: gate-off-refused (Option A)
-- mutation: the wrapper no longer reads queue.heartbeat.enabled itself; otherwise the text of fixtures/dieu45/053_phase3b.sql.
-- patch: the real migration
@@ -59,10 +59,6 @@
     'ping_function','fn_queue_heartbeat_ping_external'
   );

-  SELECT (value='true') INTO v_enabled FROM dot_config WHERE key='queue.heartbeat.enabled';
-  IF NOT COALESCE(v_enabled,false) THEN
-    RETURN jsonb_build_object('refused',true,'reason','queue.heartbeat.enabled=false');
-  END IF;

   v_result := fn_queue_heartbeat_tick(
     p_executor_name := btrim(p_executor_name),
